"""The arXiv category table: codes, display names, and how a bare code such as `CL` is read.

A bare code resolves to `cs.<code>` when Computer Science has it (`CL` -> `cs.CL`), otherwise to the
single other archive in this table that has it (`PM` -> `q-fin.PM`). A code that is in no archive,
or in several archives but not `cs`, is an error that asks for the full code.
"""

from __future__ import annotations

from .errors import closest

ARXIV_NAMES = {
    "cs.AI": "Artificial Intelligence",
    "cs.AR": "Hardware Architecture",
    "cs.CC": "Computational Complexity",
    "cs.CE": "Computational Engineering, Finance, and Science",
    "cs.CG": "Computational Geometry",
    "cs.CL": "Computation and Language",
    "cs.CR": "Cryptography and Security",
    "cs.CV": "Computer Vision and Pattern Recognition",
    "cs.CY": "Computers and Society",
    "cs.DB": "Databases",
    "cs.DC": "Distributed, Parallel, and Cluster Computing",
    "cs.DL": "Digital Libraries",
    "cs.DM": "Discrete Mathematics",
    "cs.DS": "Data Structures and Algorithms",
    "cs.ET": "Emerging Technologies",
    "cs.FL": "Formal Languages and Automata Theory",
    "cs.GL": "General Literature",
    "cs.GR": "Graphics",
    "cs.GT": "Computer Science and Game Theory",
    "cs.HC": "Human-Computer Interaction",
    "cs.IR": "Information Retrieval",
    "cs.IT": "Information Theory",
    "cs.LG": "Machine Learning",
    "cs.LO": "Logic in Computer Science",
    "cs.MA": "Multiagent Systems",
    "cs.MM": "Multimedia",
    "cs.MS": "Mathematical Software",
    "cs.NA": "Numerical Analysis",
    "cs.NE": "Neural and Evolutionary Computing",
    "cs.NI": "Networking and Internet Architecture",
    "cs.OH": "Other Computer Science",
    "cs.OS": "Operating Systems",
    "cs.PF": "Performance",
    "cs.PL": "Programming Languages",
    "cs.RO": "Robotics",
    "cs.SC": "Symbolic Computation",
    "cs.SD": "Sound",
    "cs.SE": "Software Engineering",
    "cs.SI": "Social and Information Networks",
    "cs.SY": "Systems and Control",
    "stat.AP": "Applications",
    "stat.CO": "Computation",
    "stat.ME": "Methodology",
    "stat.ML": "Machine Learning (Statistics)",
    "stat.OT": "Other Statistics",
    "stat.TH": "Statistics Theory",
    "eess.AS": "Audio and Speech Processing",
    "eess.IV": "Image and Video Processing",
    "eess.SP": "Signal Processing",
    "eess.SY": "Systems and Control (EESS)",
    "math.OC": "Optimization and Control",
    "math.PR": "Probability",
    "math.ST": "Statistics Theory (Mathematics)",
    "q-bio.NC": "Neurons and Cognition",
    "q-bio.QM": "Quantitative Methods",
    "q-fin.CP": "Computational Finance",
    "q-fin.GN": "General Finance",
    "q-fin.MF": "Mathematical Finance",
    "q-fin.PM": "Portfolio Management",
    "q-fin.PR": "Pricing of Securities",
    "q-fin.RM": "Risk Management",
    "q-fin.ST": "Statistical Finance",
    "q-fin.TR": "Trading and Market Microstructure",
    "econ.EM": "Econometrics",
    "econ.GN": "General Economics",
    "physics.soc-ph": "Physics and Society",
    "quant-ph": "Quantum Physics",
}

_BY_SUFFIX: dict[str, list[str]] = {}
for _code in ARXIV_NAMES:
    _BY_SUFFIX.setdefault(_code.rsplit(".", 1)[-1].upper(), []).append(_code)
_BY_LOWER = {code.lower(): code for code in ARXIV_NAMES}


def resolve(code: str) -> str:
    """Return the full arXiv code for `code`, or raise ValueError with a hint-worthy message."""
    text = code.strip()
    if text.lower() in _BY_LOWER:
        return _BY_LOWER[text.lower()]
    if "." not in text:
        matches = _BY_SUFFIX.get(text.upper(), [])
        if f"cs.{text.upper()}" in matches:
            return f"cs.{text.upper()}"
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(f"is ambiguous; write one of {', '.join(sorted(matches))}")
    raise ValueError("is not an arXiv category this site knows")


def suggest(code: str) -> str | None:
    """Return the closest known category code, for a `hint:` line."""
    return closest(code, ARXIV_NAMES)


def display_name(code: str) -> str:
    """Return the arXiv name, e.g. `Computation and Language` for `cs.CL`."""
    return ARXIV_NAMES.get(code, code)


def short_code(code: str) -> str:
    """Return the badge text: `CL` for `cs.CL`, `q-fin.PM` stays itself so it is not read as cs."""
    archive, _, suffix = code.partition(".")
    return suffix if archive == "cs" and suffix else code

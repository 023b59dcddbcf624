"""The arXiv category table: codes, display names, and how a bare code such as `CL` is read.

The table is arXiv's own list of active categories (the `CATEGORIES` of `arxiv/taxonomy/definitions.py` in
arXiv's arxiv-base repository, commit 0c701c0), every archive from astronomy to economics, with the names
arXiv gives them; where two categories share a name (an alias pair such as `cs.IT` and `math.IT`), the one
outside Computer Science says its archive: "Information Theory (Mathematics)". The old whole-archive
categories of early papers (`astro-ph`, `cond-mat`, `q-bio`) are in it too, and an archive arXiv closed is
read as the category that took it over (`chao-dyn` -> `nlin.CD`, `cmp-lg` -> `cs.CL`).

A bare code resolves to `cs.<code>` when Computer Science has it (`CL` -> `cs.CL`); otherwise to the one
category that has it among those Computer Science papers are most often cross-listed in (`COMMON`:
statistics, electrical engineering, economics, quantitative finance and biology, optimization; `PM` ->
`q-fin.PM`, `SP` -> `eess.SP`); otherwise to the one category in the whole table that has it (`mes-hall`
-> `cond-mat.mes-hall`). A code that is in none, or in several at the first step that has it, is an
error that asks for the full code.
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
    "econ.EM": "Econometrics",
    "econ.GN": "General Economics",
    "econ.TH": "Theoretical Economics",
    "eess.AS": "Audio and Speech Processing",
    "eess.IV": "Image and Video Processing",
    "eess.SP": "Signal Processing",
    "eess.SY": "Systems and Control (EESS)",
    "math.AC": "Commutative Algebra",
    "math.AG": "Algebraic Geometry",
    "math.AP": "Analysis of PDEs",
    "math.AT": "Algebraic Topology",
    "math.CA": "Classical Analysis and ODEs",
    "math.CO": "Combinatorics",
    "math.CT": "Category Theory",
    "math.CV": "Complex Variables",
    "math.DG": "Differential Geometry",
    "math.DS": "Dynamical Systems",
    "math.FA": "Functional Analysis",
    "math.GM": "General Mathematics",
    "math.GN": "General Topology",
    "math.GR": "Group Theory",
    "math.GT": "Geometric Topology",
    "math.HO": "History and Overview",
    "math.IT": "Information Theory (Mathematics)",
    "math.KT": "K-Theory and Homology",
    "math.LO": "Logic",
    "math.MG": "Metric Geometry",
    "math.MP": "Mathematical Physics (Mathematics)",
    "math.NA": "Numerical Analysis (Mathematics)",
    "math.NT": "Number Theory",
    "math.OA": "Operator Algebras",
    "math.OC": "Optimization and Control",
    "math.PR": "Probability",
    "math.QA": "Quantum Algebra",
    "math.RA": "Rings and Algebras",
    "math.RT": "Representation Theory",
    "math.SG": "Symplectic Geometry",
    "math.SP": "Spectral Theory",
    "math.ST": "Statistics Theory (Mathematics)",
    "astro-ph.CO": "Cosmology and Nongalactic Astrophysics",
    "astro-ph.EP": "Earth and Planetary Astrophysics",
    "astro-ph.GA": "Astrophysics of Galaxies",
    "astro-ph.HE": "High Energy Astrophysical Phenomena",
    "astro-ph.IM": "Instrumentation and Methods for Astrophysics",
    "astro-ph.SR": "Solar and Stellar Astrophysics",
    "cond-mat.dis-nn": "Disordered Systems and Neural Networks",
    "cond-mat.mes-hall": "Mesoscale and Nanoscale Physics",
    "cond-mat.mtrl-sci": "Materials Science",
    "cond-mat.other": "Other Condensed Matter",
    "cond-mat.quant-gas": "Quantum Gases",
    "cond-mat.soft": "Soft Condensed Matter",
    "cond-mat.stat-mech": "Statistical Mechanics",
    "cond-mat.str-el": "Strongly Correlated Electrons",
    "cond-mat.supr-con": "Superconductivity",
    "gr-qc": "General Relativity and Quantum Cosmology",
    "hep-ex": "High Energy Physics - Experiment",
    "hep-lat": "High Energy Physics - Lattice",
    "hep-ph": "High Energy Physics - Phenomenology",
    "hep-th": "High Energy Physics - Theory",
    "math-ph": "Mathematical Physics",
    "nlin.AO": "Adaptation and Self-Organizing Systems",
    "nlin.CD": "Chaotic Dynamics",
    "nlin.CG": "Cellular Automata and Lattice Gases",
    "nlin.PS": "Pattern Formation and Solitons",
    "nlin.SI": "Exactly Solvable and Integrable Systems",
    "nucl-ex": "Nuclear Experiment",
    "nucl-th": "Nuclear Theory",
    "physics.acc-ph": "Accelerator Physics",
    "physics.ao-ph": "Atmospheric and Oceanic Physics",
    "physics.app-ph": "Applied Physics",
    "physics.atm-clus": "Atomic and Molecular Clusters",
    "physics.atom-ph": "Atomic Physics",
    "physics.bio-ph": "Biological Physics",
    "physics.chem-ph": "Chemical Physics",
    "physics.class-ph": "Classical Physics",
    "physics.comp-ph": "Computational Physics",
    "physics.data-an": "Data Analysis, Statistics and Probability",
    "physics.ed-ph": "Physics Education",
    "physics.flu-dyn": "Fluid Dynamics",
    "physics.gen-ph": "General Physics",
    "physics.geo-ph": "Geophysics",
    "physics.hist-ph": "History and Philosophy of Physics",
    "physics.ins-det": "Instrumentation and Detectors",
    "physics.med-ph": "Medical Physics",
    "physics.optics": "Optics",
    "physics.plasm-ph": "Plasma Physics",
    "physics.pop-ph": "Popular Physics",
    "physics.soc-ph": "Physics and Society",
    "physics.space-ph": "Space Physics",
    "quant-ph": "Quantum Physics",
    "q-bio.BM": "Biomolecules",
    "q-bio.CB": "Cell Behavior",
    "q-bio.GN": "Genomics",
    "q-bio.MN": "Molecular Networks",
    "q-bio.NC": "Neurons and Cognition",
    "q-bio.OT": "Other Quantitative Biology",
    "q-bio.PE": "Populations and Evolution",
    "q-bio.QM": "Quantitative Methods",
    "q-bio.SC": "Subcellular Processes",
    "q-bio.TO": "Tissues and Organs",
    "q-fin.CP": "Computational Finance",
    "q-fin.EC": "Economics",
    "q-fin.GN": "General Finance",
    "q-fin.MF": "Mathematical Finance",
    "q-fin.PM": "Portfolio Management",
    "q-fin.PR": "Pricing of Securities",
    "q-fin.RM": "Risk Management",
    "q-fin.ST": "Statistical Finance",
    "q-fin.TR": "Trading and Market Microstructure",
    "stat.AP": "Applications",
    "stat.CO": "Computation",
    "stat.ME": "Methodology",
    "stat.ML": "Machine Learning (Statistics)",
    "stat.OT": "Other Statistics",
    "stat.TH": "Statistics Theory",
    # Whole archives, which arXiv gave as categories to papers of its first years: astro-ph until December
    # 2008, cond-mat until January 2004, q-bio (as a cross-list) until August 2003.
    "astro-ph": "Astrophysics",
    "cond-mat": "Condensed Matter",
    "q-bio": "Quantitative Biology",
}

SUBSUMED = {  # archives arXiv closed, and the category that took each over
    "cmp-lg": "cs.CL",
    "adap-org": "nlin.AO",
    "comp-gas": "nlin.CG",
    "chao-dyn": "nlin.CD",
    "solv-int": "nlin.SI",
    "patt-sol": "nlin.PS",
    "alg-geom": "math.AG",
    "dg-ga": "math.DG",
    "funct-an": "math.FA",
    "q-alg": "math.QA",
    "mtrl-th": "cond-mat.mtrl-sci",
    "supr-con": "cond-mat.supr-con",
    "acc-phys": "physics.acc-ph",
    "ao-sci": "physics.ao-ph",
    "atom-ph": "physics.atom-ph",
    "bayes-an": "physics.data-an",
    "chem-ph": "physics.chem-ph",
    "plasm-ph": "physics.plasm-ph",
}

# The categories paperfolio read bare codes in before it had arXiv's whole table: they keep their meaning.
COMMON = frozenset(
    {
        *("stat.AP", "stat.CO", "stat.ME", "stat.ML", "stat.OT", "stat.TH", "eess.AS", "eess.IV", "eess.SP"),
        *("eess.SY", "math.OC", "math.PR", "math.ST", "q-bio.NC", "q-bio.QM", "q-fin.CP", "q-fin.GN", "q-fin.MF"),
        *("q-fin.PM", "q-fin.PR", "q-fin.RM", "q-fin.ST", "q-fin.TR", "econ.EM", "econ.GN", "physics.soc-ph"),
    }
)

_BY_SUFFIX: dict[str, list[str]] = {}
for _code in ARXIV_NAMES:
    if "." in _code:
        _BY_SUFFIX.setdefault(_code.rsplit(".", 1)[-1].upper(), []).append(_code)
_BY_LOWER = {code.lower(): code for code in ARXIV_NAMES}
_BY_LOWER.update({old.lower(): new for old, new in SUBSUMED.items()})


def resolve(code: str) -> str:
    """Return the full arXiv code for `code`, or raise ValueError with a hint-worthy message."""
    text = code.strip()
    if text.lower() in _BY_LOWER:
        return _BY_LOWER[text.lower()]
    if "." not in text:
        matches = _BY_SUFFIX.get(text.upper(), [])
        if f"cs.{text.upper()}" in matches:
            return f"cs.{text.upper()}"
        for found in ([m for m in matches if m in COMMON], matches):
            if len(found) == 1:
                return found[0]
            if found:
                raise ValueError(f"is ambiguous; write one of {', '.join(sorted(found))}")
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

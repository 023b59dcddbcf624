"""BibTeX import of real .bib files: each test imports a short excerpt of a file researchers have (the source is
named above it) and checks what was read wrong before, field by field or through the site's own BibTeX export."""

from __future__ import annotations

from pathlib import Path

import yaml
from pybtex.bibtex.utils import change_case
from pybtex.database import parse_string

from paperfolio import bibtex
from paperfolio.bibimport import import_bib
from tests.test_bibimport import load_paper


def import_text(tmp_path: Path, text: str):
    """Import `text` as a .bib file; return the report and the written files' front matter by file stem."""
    bib = tmp_path / "refs.bib"
    bib.write_text(text, encoding="utf-8")
    report = import_bib(bib, tmp_path / "papers")
    fronts = {}
    for path in sorted((tmp_path / "papers").glob("*.md")):
        front = path.read_text(encoding="utf-8")[4:].partition("\n---\n")[0]
        fronts[path.stem] = yaml.safe_load(front)
    return report, fronts


def exported(tmp_path: Path, stem: str) -> dict[str, str]:
    """Return the fields of the site's BibTeX export of an imported paper, as pybtex reads them back."""
    paper = load_paper(tmp_path / "papers" / f"{stem}.md")
    entry = next(iter(parse_string(bibtex.to_bibtex(paper, "k"), "bibtex").entries.values()))
    return dict(entry.fields)


def sentence_case(title: str) -> str:
    """Return a BibTeX title as a sentence-case style (plain.bst's `change.case$` "t") prints it."""
    return change_case(title, "t")


# 3lectrologos/thesis, thesis.bib: capitals protected the BibTeX way, one letter or one word in braces.
THESIS = r"""
@inproceedings{anari16,
  author = {Nima Anari and Shayan Oveis Gharan and Alireza Rezaei},
  title = {Monte {C}arlo {M}arkov Chain Algorithms for Sampling Strongly {R}ayleigh Distributions and
           Determinantal Point Processes},
  booktitle = {Conference on Learning Theory (COLT)},
  year = {2016}
}
@article{jerrum04poincare,
  author = {Mark Jerrum and Jung-Bae Son and Prasad Tetali and Eric Vigoda},
  title = {Elementary bounds on {P}oincar\'{e} and log-{S}obolev constants for decomposable {M}arkov chains},
  journal = {Annals of Applied Probability},
  year = {2004}
}
@article{neal12,
  author = {Radford M. Neal},
  title = {{MCMC} using {H}amiltonian Dynamics},
  journal = {arXiv},
  year = {2012}
}
"""


def test_braces_protecting_capitals_in_a_title_reach_the_bibtex_export(tmp_path):
    report, fronts = import_text(tmp_path, THESIS)
    assert report.failed == [] and report.warnings == []
    assert fronts["anari16"]["title"] == (
        "Monte {C}arlo {M}arkov Chain Algorithms for Sampling Strongly {R}ayleigh Distributions and "
        "Determinantal Point Processes"
    )
    assert fronts["jerrum04poincare"]["title"] == (
        "Elementary bounds on {P}oincaré and log-{S}obolev constants for decomposable {M}arkov chains"
    )
    # `{MCMC}` needs no braces of its own: the export braces a word with a capital after its first letter.
    assert fronts["neal12"]["title"] == "MCMC using {H}amiltonian Dynamics"
    assert sentence_case(exported(tmp_path, "anari16")["title"]).replace("{", "").replace("}", "") == (
        "Monte Carlo Markov chain algorithms for sampling strongly Rayleigh distributions and determinantal "
        "point processes"
    )
    assert "Poincaré" in sentence_case(exported(tmp_path, "jerrum04poincare")["title"]).replace("{", "").replace(
        "}", ""
    )
    assert sentence_case(exported(tmp_path, "neal12")["title"]).replace("{", "").replace("}", "") == (
        "MCMC using Hamiltonian dynamics"
    )


# PMLR's "cite" export (pmlr-v202-tewari23a, quoted in the GMCM README; pmlr-v123-crosby20a, Animal-AI's):
# the month comes with the days of the conference.
PMLR = r"""
@InProceedings{pmlr-v202-tewari23a,
  title = 	 {On the Estimation of {G}aussian Mixture Copula Models},
  author =       {Tewari, Ashutosh},
  booktitle = 	 {Proceedings of the 40th International Conference on Machine Learning},
  pages = 	 {34090--34104},
  year = 	 {2023},
  volume = 	 {202},
  series = 	 {Proceedings of Machine Learning Research},
  month = 	 {23--29 Jul},
  publisher =    {PMLR},
}
 @InProceedings{pmlr-v123-crosby20a,
    title = {The Animal-AI Testbed and Competition},
    author = {Crosby, Matthew and Beyret, Benjamin and Shanahan, Murray},
    booktitle = {Proceedings of the NeurIPS 2019 Competition and Demonstration Track},
    pages = {164--176},
    year = {2020},
    month = {08--14 Dec},
    publisher = {PMLR},
}
"""


def test_a_pmlr_month_with_the_conference_days_gives_its_month(tmp_path):
    report, fronts = import_text(tmp_path, PMLR)
    assert report.failed == [] and report.warnings == []
    assert fronts["pmlr-v202-tewari23a"]["date"] == "2023-07"
    assert fronts["pmlr-v123-crosby20a"]["date"] == "2020-12"


# Mendeley Desktop braces each escaped character of an address: an entry of its export quoted in a reading note
# (bcardoen's), and the thesis address a Mendeley library gave a pandoc-made bibliography (`{~}`, `{\_}`).
MENDELEY = r"""
@incollection{Dinh2008,
author = {Dinh, H. Quynh and Xu, Liefei},
booktitle = {Proceedings of the 2008 Joint IAPR International Workshop on Structural, Syntactic, and
  Statistical Pattern Recognition},
doi = {10.1007/978-3-540-89689-0_23},
pages = {187--196},
publisher = {Springer-Verlag},
title = {{Measuring the Similarity of Vector Fields Using Global Distributions}},
url = {http://link.springer.com/10.1007/978-3-540-89689-0{\_}23},
year = {2008}
}
@phdthesis{Elson2012,
author = {Elson, David K.},
school = {Columbia University},
title = {{Modeling Narrative Discourse}},
url = {http://www.cs.columbia.edu/{~}delson/pubs/Modeling-Narrative-Discourse{\_}Elson{\_}R4.pdf},
year = {2012}
}
"""


def test_mendeleys_braced_escapes_leave_an_address_as_it_is(tmp_path):
    report, fronts = import_text(tmp_path, MENDELEY)
    assert report.failed == [] and report.warnings == []
    assert fronts["dinh2008"]["extra"]["url"] == "http://link.springer.com/10.1007/978-3-540-89689-0_23"
    assert fronts["elson2012"]["links"] == {
        "pdf": "http://www.cs.columbia.edu/~delson/pubs/Modeling-Narrative-Discourse_Elson_R4.pdf"
    }


# Semantic Scholar's export (quoted in lucidrains' tab-transformer README) and one written the same way (a JabRef
# test, LlmPlainCitationParserTest): the arXiv ID is only the volume of the journal "ArXiv".
ARXIV_AS_VOLUME = r"""
@article{Gorishniy2021RevisitingDL,
    title   = {Revisiting Deep Learning Models for Tabular Data},
    author  = {Yu. V. Gorishniy and Ivan Rubachev and Valentin Khrulkov and Artem Babenko},
    journal = {ArXiv},
    year    = {2021},
    volume  = {abs/2106.11959}
}
@article{Santana,
  title={Which Prompting Technique Should I Use? An Empirical Investigation of Prompting Techniques for Software
    Engineering Tasks},
  author={Santana Jr., E. G. and Benjamin, G. and Araujo, M. and Santos, H.},
  journal={arXiv},
  volume={2506.05614},
  year={2025}
}
"""


def test_an_arxiv_id_given_as_the_volume_of_arxiv_is_the_arxiv_link(tmp_path):
    report, fronts = import_text(tmp_path, ARXIV_AS_VOLUME)
    assert report.failed == [] and report.warnings == []
    assert fronts["gorishniy2021revisitingdl"]["links"] == {"arxiv": "2106.11959"}
    assert fronts["santana"]["links"] == {"arxiv": "2506.05614"}
    assert fronts["santana"]["authors"][0] == "E. G. Santana Jr."
    # The volume was the arXiv ID, which the link holds: not kept as `extra: {volume: abs/2106.11959}` too,
    # which the site's BibTeX exported as `volume = {abs/2106.11959}` beside the eprint.
    assert "extra" not in fronts["gorishniy2021revisitingdl"] and "extra" not in fronts["santana"]
    assert "volume" not in exported(tmp_path, "gorishniy2021revisitingdl")


# A book chapter's citation plan (mjbommar's ai-law-finance-book): an arXiv paper cited by its HTML view.
ARXIV_HTML = r"""
@misc{arxiv-multi-agent-failures-2025,
  author = {Multiple Authors},
  title = {Why Do Multi-Agent LLM Systems Fail?},
  year = {2025},
  url = {https://arxiv.org/html/2503.13657v1},
  urldate = {2025-12-13},
}
"""


def test_an_arxiv_html_address_is_the_arxiv_link(tmp_path):
    report, fronts = import_text(tmp_path, ARXIV_HTML)
    assert report.failed == [] and report.warnings == []
    front = fronts["arxiv-multi-agent-failures-2025"]
    assert front["links"] == {"arxiv": "2503.13657v1"} and front["pub_type"] == "preprint"


# An `@article` naming no journal, with its arXiv ID: INSPIRE-HEP's export of a preprint (COFFE's README) and
# Zotero's of an arXiv page (a SimpleITK transforms module's docstring).
ARTICLE_WITHOUT_JOURNAL = r"""
@article{coffe:v1,
      author         = "Tansella, Vittorio and Jelic-Cizmek, Goran and Bonvin,
                        Camille and Durrer, Ruth",
      title          = "{COFFE: a code for the full-sky relativistic galaxy
                        correlation function}",
      year           = "2018",
      eprint         = "1806.11090",
      archivePrefix  = "arXiv",
      primaryClass   = "astro-ph.CO",
      SLACcitation   = "%%CITATION = ARXIV:1806.11090;%%"
}
@article{kim_deep-cr_2020,
	title = {Deep-{CR} {MTLR}: a {Multi}-{Modal} {Approach} for {Cancer} {Survival} {Prediction} with
		{Competing} {Risks}},
	shorttitle = {Deep-{CR} {MTLR}},
	url = {https://arxiv.org/abs/2012.05765v1},
	language = {en},
	urldate = {2021-03-16},
	author = {Kim, Sejin and Kazmierski, Michal and Haibe-Kains, Benjamin},
	month = dec,
	year = {2020}
}
"""


def test_an_article_naming_no_journal_with_an_arxiv_id_is_a_preprint(tmp_path):
    report, fronts = import_text(tmp_path, ARTICLE_WITHOUT_JOURNAL)
    assert report.failed == [] and report.warnings == []
    coffe = fronts["coffe-a-code-for-the-full-sky-relativistic-galaxy"]
    assert (coffe["pub_type"], coffe["links"], coffe["categories"]) == (
        "preprint",
        {"arxiv": "1806.11090"},
        ["astro-ph.CO"],
    )
    assert fronts["kim-deep-cr-2020"]["pub_type"] == "preprint"
    assert "venue" not in coffe


# The NeurIPS proceedings' own BibTeX before 2019 (papers.nips.cc, quoted in a README of the OIL for advanced
# networks project): an `@incollection` in "Advances in Neural Information Processing Systems 29".
NIPS_INCOLLECTION = r"""
@incollection{NIPS2016_6375,
    author = {Vuffray, Marc and Misra, Sidhant and Lokhov, Andrey Y. and Chertkov, Michael},
    title = {Interaction Screening: Efficient and Sample-Optimal Learning of Ising Models},
    booktitle = {Advances in Neural Information Processing Systems 29},
    year = {2016}, pages = {2595--2603},
    publisher = {Curran Associates, Inc.},
    url = {http://papers.nips.cc/paper/6375-interaction-screening-efficient-and-sample-optimal-learning-of-ising-models.pdf}
}
"""


def test_an_incollection_in_a_conferences_proceedings_is_a_conference_paper(tmp_path):
    report, fronts = import_text(tmp_path, NIPS_INCOLLECTION)
    assert report.failed == [] and report.warnings == []
    assert fronts["nips2016-6375"]["pub_type"] == "conference"
    assert exported(tmp_path, "nips2016-6375")["booktitle"] == "Advances in Neural Information Processing Systems 29"


# DBLP with its proceedings (DynMatch's README): the paper is in LIPIcs volume 173, which only the proceedings say.
DBLP_CROSSREF = r"""
@inproceedings{DBLP:conf/esa/Henzinger0P020,
  author    = {Monika Henzinger and
               Shahbaz Khan and
               Richard Paul and
               Christian Schulz},
  title     = {Dynamic Matching Algorithms in Practice},
  booktitle = {28th Annual European Symposium on Algorithms, {ESA} 2020, September
               7-9, 2020, Pisa, Italy (Virtual Conference)},
  pages     = {58:1--58:20},
  year      = {2020},
  crossref  = {DBLP:conf/esa/2020},
  url       = {https://doi.org/10.4230/LIPIcs.ESA.2020.58},
  doi       = {10.4230/LIPIcs.ESA.2020.58},
  timestamp = {Wed, 26 Aug 2020 16:56:07 +0200},
  biburl    = {https://dblp.org/rec/conf/esa/Henzinger0P020.bib},
  bibsource = {dblp computer science bibliography, https://dblp.org}
}

@proceedings{DBLP:conf/esa/2020,
  editor    = {Fabrizio Grandoni and
               Grzegorz Herman and
               Peter Sanders},
  title     = {28th Annual European Symposium on Algorithms, {ESA} 2020, September
               7-9, 2020, Pisa, Italy (Virtual Conference)},
  series    = {LIPIcs},
  volume    = {173},
  publisher = {Schloss Dagstuhl - Leibniz-Zentrum f{\"{u}}r Informatik},
  year      = {2020},
  isbn      = {978-3-95977-162-7},
  timestamp = {Wed, 26 Aug 2020 16:29:43 +0200},
  biburl    = {https://dblp.org/rec/conf/esa/2020.bib},
  bibsource = {dblp computer science bibliography, https://dblp.org}
}
"""


def test_a_crossref_gives_the_paper_its_volume_in_the_series(tmp_path):
    report, fronts = import_text(tmp_path, DBLP_CROSSREF)
    assert report.failed == [] and report.warnings == []
    front = fronts["dynamic-matching-algorithms-in-practice"]
    assert front["extra"] == {
        "volume": "173",
        "pages": "58:1--58:20",
        "publisher": "Schloss Dagstuhl - Leibniz-Zentrum für Informatik",
        "series": "LIPIcs",
        "isbn": "978-3-95977-162-7",
    }
    assert front["links"] == {"doi": "10.4230/LIPIcs.ESA.2020.58"}
    fields = exported(tmp_path, "dynamic-matching-algorithms-in-practice")
    assert (fields["series"], fields["volume"]) == ("LIPIcs", "173")


# The ACM Digital Library's export of before 2017 (quoted in the Creepy Tracker README and in a Java class of
# the ONE simulator): its DOIs as addresses of the ACM's own resolver, doi.acm.org.
ACM_RESOLVER = r"""
@inproceedings{Sousa:2017:CTT:3132272.3134113,
 author = {Sousa, Maur\'{\i}cio and Mendes, Daniel and Anjos, Rafael Kuffner Dos},
 title = {Creepy Tracker Toolkit for Context-aware Interfaces},
 booktitle = {Proceedings of the 2017 ACM International Conference on Interactive Surfaces and Spaces},
 series = {ISS '17},
 year = {2017},
 pages = {191--200},
 url = {http://doi.acm.org/10.1145/3132272.3134113},
 doi = {10.1145/3132272.3134113},
 publisher = {ACM},
}
@inproceedings{1374652,
	Author = {Hui, Pan and Crowcroft, Jon and Yoneki, Eiko},
	Booktitle = {MobiHoc '08: Proceedings of the 9th ACM international symposium
		on Mobile ad hoc networking and computing},
	Doi = {http://doi.acm.org/10.1145/1374618.1374652},
	Pages = {241--250},
	Publisher = {ACM},
	Title = {BUBBLE Rap: Social-based Forwarding in Delay Tolerant Networks},
	Year = {2008}
}
"""


def test_a_doi_at_the_acms_old_resolver_is_the_doi(tmp_path):
    report, fronts = import_text(tmp_path, ACM_RESOLVER)
    assert report.failed == [] and report.warnings == []
    assert fronts["creepy-tracker-toolkit-for-context-aware-interfaces"]["links"] == {"doi": "10.1145/3132272.3134113"}
    assert fronts["1374652"]["links"] == {"doi": "10.1145/1374618.1374652"}


# biblatex's own example bibliography (plk/biblatex, biblatex-examples.bib): a title and its `subtitle`.
SUBTITLE = r"""
@string{jchph   = {J.~Chem. Phys.}}
@article{shore,
  author       = {Shore, Bradd},
  title        = {Twice-Born, Once Conceived},
  journaltitle = {American Anthropologist},
  date         = {1991-03},
  subtitle     = {Meaning Construction and Cultural Cognition},
  series       = {newseries},
  volume       = 93,
  number       = 1,
  pages        = {9-27},
}
@article{murray,
  author       = {Hostetler, Michael J. and Wingate, Julia E. and Zhong,
                  Chuan-Jian and Harris, Jay E.},
  title        = {Alkanethiolate gold cluster molecules with core diameters from
                  1.5 to 5.2~nm},
  journaltitle = {Langmuir},
  date         = 1998,
  subtitle     = {Core and monolayer properties as a function of core size},
  volume       = 14,
  number       = 1,
  pages        = {17-30},
}
"""


def test_a_biblatex_subtitle_is_part_of_the_title(tmp_path):
    report, fronts = import_text(tmp_path, SUBTITLE)
    assert report.failed == [] and report.warnings == []
    assert fronts["shore"]["title"] == "Twice-Born, Once Conceived: Meaning Construction and Cultural Cognition"
    assert fronts["murray"]["title"] == (
        "Alkanethiolate gold cluster molecules with core diameters from 1.5 to 5.2 nm: Core and monolayer properties "
        "as a function of core size"
    )


# An al-folio papers.bib (the copy in alshedivat/al-folio's history, Chenxi Qiu's): the co-first mark typed as
# the asterisk operator U+2217 rather than `*`.
ASTERISK_OPERATOR = r"""
@INPROCEEDINGS{ICDCS2022,
  abbr={ICDCS 2022},
  author={Qiu, Chenxi and ∗Yadav, Sourabh and Squicciarini, Anna and Yang, Qing and Fu, Song},
  booktitle={Proceedings of The 42nd IEEE International Conference on Distributed Computing Systems (ICDCS)},
  title={[A] Distributed Data-Sharing Consensus in Cooperative Perception of Autonomous Vehicles},
  year={2022},
  series = {ICDCS '22}
  }
"""


def test_an_asterisk_operator_marks_equal_contribution_as_an_asterisk_does(tmp_path):
    report, fronts = import_text(tmp_path, ASTERISK_OPERATOR)
    assert report.failed == [] and report.warnings == []
    assert fronts["icdcs2022"]["authors"][:3] == [
        "Chenxi Qiu",
        {"name": "Sourabh Yadav", "equal_contribution": True},
        "Anna Squicciarini",
    ]


# A paper's page at a publisher or an index is no project page: Semantic Scholar's export (lucidrains'
# tab-transformer README), Mendeley's (a Construction Research Congress paper's README) and Zotero's (FAIR-MAST's).
PUBLISHER_PAGES = r"""
@article{Zhu2024HyperConnections,
    title   = {Hyper-Connections},
    author  = {Defa Zhu and Hongzhi Huang and Zihao Huang and Yutao Zeng and Yunyao Mao and Banggu Wu and Qiyang Min
               and Xun Zhou},
    journal = {ArXiv},
    year    = {2024},
    volume  = {abs/2409.19606},
    url     = {https://api.semanticscholar.org/CorpusID:272987528}
}
    @inproceedings{Movahedi2024,
    address = {Reston, VA},
    author = {Movahedi, Mohammad and Choi, Juyeong and Seo, Seungwon and Koo, Choongwan},
    booktitle = {Construction Research Congress 2024},
    doi = {10.1061/9780784485286.033},
    isbn = {9780784485286},
    mendeley-groups = {0 My Own work/Conference papers},
    month = {mar},
    pages = {318--327},
    publisher = {American Society of Civil Engineers},
    title = {{Assessment of Estimation Methods for Demolition Waste Volume and Cost}},
    url = {https://ascelibrary.org/doi/10.1061/9780784485286.033},
    year = {2024}
    }
@article{jackson_fair-mast_2024,
	title = {{FAIR}-{MAST}: {A} fusion device data management system},
	volume = {27},
	issn = {23527110},
	shorttitle = {{FAIR}-{MAST}},
	url = {https://linkinghub.elsevier.com/retrieve/pii/S2352711024002395},
	doi = {10.1016/j.softx.2024.101869},
	language = {en},
	urldate = {2025-01-17},
	journal = {SoftwareX},
	author = {Jackson, Samuel and Khan, Saiful and Cummings, Nathan and Hodson, James and De Witt, Shaun},
	month = sep,
	year = {2024},
	pages = {101869},
}
"""


def test_a_page_at_a_publisher_or_index_is_kept_but_not_as_the_project_page(tmp_path):
    report, fronts = import_text(tmp_path, PUBLISHER_PAGES)
    assert report.failed == [] and report.warnings == []
    s2, asce, elsevier = fronts["zhu2024hyperconnections"], fronts["movahedi2024"], fronts["jackson-fair-mast-2024"]
    assert s2["links"] == {"arxiv": "2409.19606"}
    assert s2["extra"]["url"] == "https://api.semanticscholar.org/CorpusID:272987528"
    assert asce["links"] == {"doi": "10.1061/9780784485286.033"}
    assert asce["extra"]["url"] == "https://ascelibrary.org/doi/10.1061/9780784485286.033"
    assert elsevier["links"] == {"doi": "10.1016/j.softx.2024.101869"}
    assert elsevier["extra"]["url"] == "https://linkinghub.elsevier.com/retrieve/pii/S2352711024002395"


# al-folio's `html` link is the paper's page, often at its publisher (Chenxi Qiu's papers.bib, in
# alshedivat/al-folio's history): IEEE Xplore, ScienceDirect, and the DOI's own address.
ALFOLIO_HTML = r"""
@ARTICLE{EJ2021,
  abbr={EJ 2021},
  title = {Distributed machine learning for energy trading in electric distribution system of the future},
  journal = {The Electricity Journal},
  volume = {34},
  number = {1},
  pages = {106883},
  year = {2021},
  doi = {https://doi.org/10.1016/j.tej.2020.106883},
  html = {https://www.sciencedirect.com/science/article/pii/S1040619020301755},
  author = {Wang, Ning and Li, Jie and Ho, Shen-Shyang and Qiu, Chenxi},
}
@inproceedings{CIKM2020,
  abbr={CIKM 2020},
  author = {Qiu, Chenxi and Squicciarini, Anna and Li, Zhuozhao and Pang, Ce and Yan, Li},
  title = {[A] Time-Efficient Geo-Obfuscation to Protect Worker Location Privacy over Road Networks in Spatial
    Crowdsourcing},
  year = {2020},
  html = {https://doi.org/10.1145/3340531.3411863},
  doi = {10.1145/3340531.3411863},
  booktitle = {Proceedings of the 29th ACM International Conference on Information & Knowledge Management},
}
@INPROCEEDINGS{MASSW2019,
  abbr={MASSW 2019},
  author={*Pang, Ce and Qiu, Chenxi and Wang, Ning},
  booktitle={Proceedings of IEEE 16th International Conference on Mobile Ad Hoc and Sensor Systems Workshops (MASSW)},
  title={A Geo-Obfuscation Approach to Protect Worker Location Privacy in Spatial Crowdsourcing Systems},
  year={2019},
  pages={166-167},
  doi={10.1109/MASSW.2019.00042},
  html = {https://ieeexplore.ieee.org/abstract/document/9059317}
}
"""


def test_an_al_folio_html_link_at_a_publisher_is_no_project_page(tmp_path):
    report, fronts = import_text(tmp_path, ALFOLIO_HTML)
    assert report.failed == [] and report.warnings == []
    assert fronts["ej2021"]["links"] == {"doi": "10.1016/j.tej.2020.106883"}
    assert fronts["ej2021"]["extra"]["url"] == "https://www.sciencedirect.com/science/article/pii/S1040619020301755"
    assert fronts["cikm2020"]["links"] == {"doi": "10.1145/3340531.3411863"}
    assert fronts["massw2019"]["links"] == {"doi": "10.1109/MASSW.2019.00042"}
    assert fronts["massw2019"]["extra"]["url"] == "https://ieeexplore.ieee.org/abstract/document/9059317"


# A `@misc`'s `howpublished`, as an Overleaf how-to and many READMEs write it (the KAN paper's entry, a
# workshop paper's, hivemind's): the arXiv ID, the venue, or the address.
HOWPUBLISHED = r"""
@misc{LiuEtAl2024,
  title = {{KAN}: {Kolmogorov-Arnold Networks}},
  author = {Liu, Ziming and Wang, Yixuan and Vaidya, Sachin and Ruehle, Fabian and Halverson, James and
    Solja{\v c}i{\'c}, Marin and Hou, Thomas Y. and Tegmark, Max},
  year = {2024},
  howpublished = {arXiv preprint arXiv:2404.19756}
}
@misc{llm-kernel2025,
  title={LLM Kernel: a framework for verifiable evaluation of scientific data interpretations},
  author={Connell, William and Guin, Drishti and Mellina, Clayton},
  year={2025},
  howpublished={NeurIPS AI for Science Workshop},
  url={https://openreview.net/forum?id=Rq5wDa8Obf},
}
@misc{hivemind,
  author = {Learning{@}home team},
  title = {{H}ivemind: a {L}ibrary for {D}ecentralized {D}eep {L}earning},
  year = 2020,
  howpublished = {\url{https://github.com/learning-at-home/hivemind}},
}
"""


def test_a_misc_entrys_howpublished_gives_its_arxiv_id_venue_or_address(tmp_path):
    report, fronts = import_text(tmp_path, HOWPUBLISHED)
    assert report.failed == [] and report.warnings == []
    kan, kernel, hivemind = fronts["liuetal2024"], fronts["llm-kernel2025"], fronts["hivemind"]
    assert (kan["links"], kan["pub_type"], kan.get("venue")) == ({"arxiv": "2404.19756"}, "preprint", None)
    assert kan["authors"][5] == "Marin Soljačić"
    assert kernel["venue"] == "NeurIPS AI for Science Workshop"
    assert hivemind["links"] == {"code": "https://github.com/learning-at-home/hivemind"} and "venue" not in hivemind


# Google Scholar's export (in BerenMillidge/PhD_Thesis, thesis.bib) escapes a title's `^` as `\^{}`.
SCHOLAR_CARET = r"""
@inproceedings{nesterov27method,
  title={A method of solving a convex programming problem with convergence rate O (1/k\^{} 2) O (1/k2)},
  author={Nesterov, Yu},
  booktitle={Sov. Math. Dokl},
  volume={27},
  number={2},
  year={1983}
}
"""


def test_an_accent_on_nothing_is_its_character(tmp_path):
    report, fronts = import_text(tmp_path, SCHOLAR_CARET)
    assert report.failed == [] and report.warnings == []
    assert fronts["nesterov27method"]["title"] == (
        "A method of solving a convex programming problem with convergence rate O (1/k^ 2) O (1/k2)"
    )


# BibTeX's own example database, xampl.bib (a copy in aerodyn/fsbthesis): a year with the `\noopsort` trick of
# its @preamble, and a day before a month macro.
XAMPL = r"""
@preamble{ "\newcommand{\noopsort}[1]{} "
    # "\newcommand{\printfirst}[2]{#1} "
    # "\newcommand{\singleletter}[1]{#1} "
    # "\newcommand{\switchargs}[2]{#2#1} " }

@INBOOK{inbook-full,
   author = "Donald E. Knuth",
   title = "Fundamental Algorithms",
   volume = 1,
   series = "The Art of Computer Programming",
   publisher = "Addison-Wesley",
   address = "Reading, Massachusetts",
   edition = "Second",
   month = "10~" # jan,
   year = "{\noopsort{1973b}}1973",
   type = "Section",
   chapter = "1.2",
   pages = "10--119"
}
"""


def test_a_year_with_a_sort_trick_is_the_year_it_prints(tmp_path):
    report, fronts = import_text(tmp_path, XAMPL)
    assert report.failed == [] and report.warnings == []
    assert fronts["inbook-full"]["date"] == "1973-01"


# Family names of several words, as the .bib names them: INSPIRE-HEP (PyCBC's README), PMLR (a neuro-symbolic
# paper's README), a biblatex file (pandoc's test of biblatex-examples' Vázques de Parga), Google Scholar (a thesis
# bibliography), and a corporate author (a book's citation plan).
FAMILIES = r"""
@article{Canton:2014ena,
  author         = "Dal Canton, Tito and others",
  title          = "{Implementing a search for aligned-spin neutron
                    star-black hole systems with advanced ground based
                    gravitational wave detectors}",
  journal        = "Phys. Rev.",
  volume         = "D90",
  year           = "2014",
}
@InProceedings{pmlr-v288-sasaki25a,
  title = 	 {Neurosymbolic Finite and Pushdown Automata: Improved Multimodal Reasoning versus Vision Language Models
    (VLMs)},
  author =       {Sasaki, Samuel and Manzanas Lopez, Diego and Johnson, Taylor T.},
  booktitle = 	 {Proceedings of the International Conference on Neuro-symbolic Systems},
  year = 	 {2025},
}
@Book{vazques-de-parga,
  author       = {V{\'a}zques{ de }Parga, Luis and Lacarra, Jos{\'e} Mar{\'i}a
                  and Ur{\'i}a R{\'i}u, Juan},
  title        = {Las Peregrinaciones a Santiago de Compostela},
  date         = 1993,
  publisher    = {Iberdrola},
}
@article{esposito2010three1,
  title={Three faces of the second law. I. Master equation formulation},
  author={Esposito, Massimiliano and Van den Broeck, Christian},
  journal={Physical Review E},
  year={2010},
}
@misc{eu-ai-act-2024,
  author = {{European Commission}},
  title = {Regulation (EU) 2024/1689 of the European Parliament and of the Council on Artificial Intelligence (AI Act)},
  year = {2024},
}
"""


def test_a_family_name_of_several_words_stays_the_family_name(tmp_path):
    report, fronts = import_text(tmp_path, FAMILIES)
    assert report.failed == [] and report.warnings == []
    canton = fronts["implementing-a-search-for-aligned-spin-neutron-star-black-hole"]
    assert canton["authors"] == ["Tito {Dal Canton}", "others"]
    assert fronts["pmlr-v288-sasaki25a"]["authors"][1] == "Diego {Manzanas Lopez}"
    assert fronts["vazques-de-parga"]["authors"] == ["Luis {Vázques de Parga}", "José María Lacarra", "Juan {Uría Ríu}"]
    assert fronts["esposito2010three1"]["authors"] == ["Massimiliano Esposito", "Christian {Van den Broeck}"]
    assert fronts["eu-ai-act-2024"]["authors"] == ["{European Commission}"]
    paper = load_paper(tmp_path / "papers" / "vazques-de-parga.md")
    assert [author.name for author in paper.authors][0] == "Luis Vázques de Parga"  # as the page shows it
    sasaki = load_paper(tmp_path / "papers" / "pmlr-v288-sasaki25a.md")
    assert bibtex.format_authors(sasaki) == "Sasaki, Samuel and Manzanas Lopez, Diego and Johnson, Taylor T."


def test_a_name_the_exports_already_split_right_is_written_as_displayed(tmp_path):
    """`de Freitas, Nando` and `Santana Jr., E. G.` need no braces (3lectrologos/thesis; a JabRef test)."""
    _, fronts = import_text(
        tmp_path,
        "@inproceedings{defreitas01, author = {de Freitas, Nando and Russell, Stuart}, title = {Variational MCMC},\n"
        " booktitle = {UAI}, year = {2001}}\n"
        "@article{Santana, title={Which Prompting Technique Should I Use?},\n"
        " author={Santana Jr., E. G. and Benjamin, G.}, journal={arXiv}, volume={2506.05614}, year={2025}}\n",
    )
    assert fronts["defreitas01"]["authors"] == ["Nando de Freitas", "Stuart Russell"]
    assert fronts["santana"]["authors"] == ["E. G. Santana Jr.", "G. Benjamin"]


# biblatex's own example bibliography (plk/biblatex, biblatex-examples.bib): biblatex's text commands in titles.
BIBLATEX_COMMANDS = r"""
@string{jchph   = {J.~Chem. Phys.}}
@article{spiegelberg,
  author       = {Spiegelberg, Herbert},
  title        = {\mkbibquote{Intention} und \mkbibquote{Intentionalit{\"a}t} in
                  der Scholastik, bei Brentano und Husserl},
  journaltitle = {Studia Philosophica},
  date         = 1969,
  volume       = 29,
  pages        = {189-216},
  langid       = {german},
}
@article{kastenholz,
  author       = {Kastenholz, M. A. and H{\"u}nenberger, Philippe H.},
  title        = {Computation of methodology\hyphen independent ionic solvation
                  free energies from molecular simulations},
  journaltitle = jchph,
  date         = 2006,
  subtitle     = {I. The electrostatic potential in molecular liquids},
  volume       = 124,
  eid          = 124106,
  doi          = {10.1063/1.2172593},
}
"""


def test_biblatex_quotes_and_hyphen_in_a_title_are_their_characters(tmp_path):
    report, fronts = import_text(tmp_path, BIBLATEX_COMMANDS)
    assert report.failed == [] and report.warnings == []
    assert fronts["spiegelberg"]["title"] == (
        "\u201cIntention\u201d und \u201cIntentionalität\u201d in der Scholastik, bei Brentano und Husserl"
    )
    assert fronts["kastenholz"]["title"] == (
        "Computation of methodology-independent ionic solvation free energies from molecular simulations: "
        "I. The electrostatic potential in molecular liquids"
    )


# biblatex's example bibliography again: an old arXiv ID whose archive, math, is no category of its own.
OLD_ARXIV_ID = r"""
@article{baez/article,
  author       = {Baez, John C. and Lauda, Aaron D.},
  title        = {Higher-Dimensional Algebra V: 2-Groups},
  journaltitle = {Theory and Applications of Categories},
  date         = 2004,
  volume       = 12,
  pages        = {423-491},
  version      = 3,
  eprint       = {math/0307200v3},
  eprinttype   = {arxiv},
}
"""


def test_an_archive_that_is_no_category_is_said_of_the_arxiv_id_not_of_a_primary_class(tmp_path):
    report, fronts = import_text(tmp_path, OLD_ARXIV_ID)
    [(key, line, message)] = report.warnings
    assert (key, line) == ("baez/article", 2)
    assert message.startswith("the arXiv ID math/0307200v3's archive 'math' ") and message.endswith("; using cs.LG")
    assert fronts["higher-dimensional-algebra-v-2-groups"]["links"] == {"arxiv": "math/0307200v3"}


# Zotero's export of a bioRxiv preprint (GWC-DCMB's curriculum README): `@article` in the journal "bioRxiv".
BIORXIV = r"""
@article{duda_teaching_2021,
  title = {Teaching {{Python}} for {{Data Science}}: {{Collaborative}} Development of a Modular \&
    Interactive Curriculum},
  shorttitle = {Teaching {{Python}} for {{Data Science}}},
  author = {Duda, Marlena and Sovacool, Kelly L. and Farzaneh, Negar and Nguyen, Vy Kim},
  year = {2021},
  month = jun,
  publisher = {{Cold Spring Harbor Laboratory}},
  doi = {10.1101/2021.06.17.448726},
  url = {https://doi.org/10.1101/2021.06.17.448726},
  journal = {bioRxiv},
  language = {en}
}
"""


def test_an_article_in_a_preprint_server_is_a_preprint_that_keeps_its_server(tmp_path):
    report, fronts = import_text(tmp_path, BIORXIV)
    assert report.failed == [] and report.warnings == []
    front = fronts["duda-teaching-2021"]
    assert (front["pub_type"], front["venue"]) == ("preprint", "bioRxiv")
    assert exported(tmp_path, "duda-teaching-2021")["howpublished"] == "bioRxiv"


# biblatex's example bibliography: a collection named by its editor, as an edited book is.
EDITED = r"""
@collection{matuz:doody,
  editor       = {Matuz, Roger},
  title        = {Contemporary Literary Criticism},
  year         = 1990,
  volume       = 61,
  publisher    = {Gale},
  location     = {Detroit},
  pages        = {204-208},
}
"""


def test_an_edited_book_is_imported_with_its_editors_as_its_authors_and_a_warning(tmp_path):
    report, fronts = import_text(tmp_path, EDITED)
    assert report.failed == []
    assert report.warnings == [("matuz:doody", 2, "no `author`: its editors are listed as its authors")]
    front = fronts["contemporary-literary-criticism"]
    assert (front["authors"], front["pub_type"], front["extra"]["publisher"]) == (["Roger Matuz"], "book", "Gale")


# A journal's own page (MDPI's, in Chenxi Qiu's al-folio papers.bib) and PubMed Central's (a book's citation plan).
JOURNAL_PAGES = r"""
@ARTICLE{Sensor2021,
  abbr={Sensor 2021},
  AUTHOR = {Wu, Ben and Qi, Yang and Qiu, Chenxi and Tang, Ying},
  TITLE = {Wideband Anti-Jamming Based on Free Space Optical Communication and Photonic Signal Processing},
  JOURNAL = {Sensors},
  VOLUME = {21},
  YEAR = {2021},
  NUMBER = {4},
  ARTICLE-NUMBER = {1136},
  html = {https://www.mdpi.com/1424-8220/21/4/1136},
  PubMedID = {33561972},
  ISSN = {1424-8220},
  DOI = {10.3390/s21041136}
}
@article{hitl-uptake-accuracy-tradeoff-2024,
  author = {Multiple Authors},
  title = {Putting a Human in the Loop: Increasing Uptake, but Decreasing Accuracy of Automated Decision-Making},
  journal = {PLoS One},
  year = {2024},
  url = {https://www.ncbi.nlm.nih.gov/pmc/articles/PMC10857587/},
  urldate = {2025-12-13},
}
"""


def test_a_journals_page_and_pubmed_centrals_are_no_project_pages(tmp_path):
    report, fronts = import_text(tmp_path, JOURNAL_PAGES)
    assert report.failed == [] and report.warnings == []
    assert fronts["sensor2021"]["links"] == {"doi": "10.3390/s21041136"}
    assert fronts["sensor2021"]["extra"]["url"] == "https://www.mdpi.com/1424-8220/21/4/1136"
    pmc = fronts["hitl-uptake-accuracy-tradeoff-2024"]
    assert "links" not in pmc and pmc["extra"]["url"] == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC10857587/"


# Mendeley Desktop writes every address of an item into one `url` (MLElectrolytes' README).
MENDELEY_URLS = r"""
@article{Wang2020,
author = {Wang, Wujie and Yang, Tzuhsiung and Harris, William Hunt and G{\'{o}}mez-Bombarelli, Rafael},
file = {::},
issn = {1359-7345},
journal = {Chemical Communications},
mendeley-groups = {wwj/paper-superglyme},
month = {aug},
number = {63},
pages = {8920},
title = {{Active learning and neural network potentials accelerate molecular screening of ether-based solvate ionic
  liquids}},
url = {URLS},
volume = {56},
year = {2020}
}
""".replace(
    "URLS",  # (one line in the file)
    "https://pubs.rsc.org/en/content/articlehtml/2020/cc/d0cc03512b "
    "https://pubs.rsc.org/en/content/articlelanding/2020/cc/d0cc03512b "
    "http://pubs.rsc.org/en/Content/ArticleLanding/2020/CC/D0CC03512B",
)


def test_mendeleys_several_addresses_in_one_url_are_read_each(tmp_path):
    report, fronts = import_text(tmp_path, MENDELEY_URLS)
    assert report.failed == [] and report.warnings == []
    assert fronts["wang2020"]["extra"]["url"] == "https://pubs.rsc.org/en/content/articlehtml/2020/cc/d0cc03512b"


def test_a_doi_resolvers_address_naming_no_doi_is_left_out_with_a_warning(tmp_path):
    """`url = {http://doi.acm.org/}` (the ACM resolver's address cut short) was written as `doi: ''`, and
    `https://doi.org/10.1/a` as that address: `check` refused both files, though the doi field's own value is
    left out with a warning when it is no DOI."""
    report, fronts = import_text(
        tmp_path,
        "@article{acm, author = {Lee, Ann}, title = {One}, journal = {J}, year = 2020, url = {http://doi.acm.org/}}\n"
        "@article{short, author = {Lee, Ann}, title = {Two}, journal = {J}, year = 2020,"
        " url = {https://doi.org/10.1/a}}\n",
    )
    assert report.failed == []
    assert [message for _key, _line, message in report.warnings] == [
        "'http://doi.acm.org/' is no DOI's address (10.xxxx/…) and was left out",
        "'https://doi.org/10.1/a' is no DOI's address (10.xxxx/…) and was left out",
    ]
    assert "links" not in fronts["acm"] and "links" not in fronts["short"]
    for stem in ("acm", "short"):
        load_paper(tmp_path / "papers" / f"{stem}.md")  # builds


def test_a_title_or_venue_whose_latex_prints_nothing_is_none(tmp_path):
    """`title = {\\relax}` or `{{}}`, `booktitle = {{}}` or `howpublished = {~}` print nothing: the files were
    written with `title: ''` and `venue: ''`, which `check` refused. An empty title fails its entry at its line;
    an empty venue field names no venue, and the next one that prints something does."""
    report, fronts = import_text(
        tmp_path,
        "@article{relax, author = {Lee, Ann}, title = {\\relax}, year = 2020}\n"
        "@inproceedings{empty, author = {Lee, Ann}, title = {One}, booktitle = {{}}, journal = {J. Chem.},"
        " year = 2020}\n"
        "@misc{tilde, author = {Lee, Ann}, title = {Two}, howpublished = {~}, year = 2020}\n",
    )
    assert report.failed == [("relax", 1, "`title` is empty once its LaTeX is read")]
    assert fronts["empty"]["venue"] == "J. Chem."
    assert "venue" not in fronts["tilde"]
    for stem in ("empty", "tilde"):
        load_paper(tmp_path / "papers" / f"{stem}.md")  # builds


def test_an_author_list_that_starts_with_others_names_nobody(tmp_path):
    """`author = {others and Ann Lee}` passed as naming someone, then was cut at `others` to `[others]`: a
    file `check` refused (`authors` needs a named author before `others`), with no word from the import."""
    report, fronts = import_text(
        tmp_path, "@article{etal, author = {others and Ann Lee}, title = {One}, journal = {J}, year = 2020}\n"
    )
    assert report.failed == [("etal", 1, "`author` names nobody before `others`")]
    assert fronts == {}


def test_a_crossref_to_the_entry_itself_gives_it_nothing(tmp_path):
    """`crossref = {self}` on entry `self` made its own title its booktitle: the paper was imported with a
    venue (its title) that the .bib never named."""
    report, fronts = import_text(
        tmp_path, "@inproceedings{self, author = {Lee, Ann}, title = {One}, crossref = {self}, year = 2020}\n"
    )
    assert [message for _key, _line, message in report.warnings] == ["crossref `self` is the entry itself"]
    assert "venue" not in fronts["self"]


def test_a_group_after_a_one_sign_command_that_is_no_accent_protects_its_capital(tmp_path):
    # `\&` takes no argument, so `{J}` is the author's protection of a capital, as `{M}` is after a space;
    # an accent's one sign (`\"{o}`) does take the group, which protects nothing.
    report, fronts = import_text(
        tmp_path,
        '@article{tj, title = {Tom \\& {J}erry meet G\\"{o}del},\n'
        "  author = {Doe, Jane}, journal = {J}, year = {2020}}\n",
    )
    assert report.failed == []
    assert fronts["tj"]["title"] == "Tom & {J}erry meet Gödel"
    # plain.bst's sentence case keeps the protected capital and lowers the unprotected one.
    assert sentence_case(exported(tmp_path, "tj")["title"]).replace("{", "").replace("}", "") == (
        "Tom \\& Jerry meet gödel"
    )

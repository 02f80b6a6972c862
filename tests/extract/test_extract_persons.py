"""Persons and relationships of the report extractor, on small synthetic reports (never a seed report)."""

from __future__ import annotations

from pathlib import Path

from dhrkg.model import validate_text
from dhrkg.ingest.report import draft_yaml, extract_report
from dhrkg.ingest.report.score import norm

HEAD = """WESTSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

into the death of a woman

1. Introduction

1.1 The victim was killed by the perpetrator at her home in 2015. The perpetrator was convicted of her murder.

2. The facts

"""


def draft(tmp_path: Path, body: str, head: str = HEAD):
    path = tmp_path / "report.txt"
    path.write_text(head + body, encoding="utf-8")
    case = extract_report(path)
    assert validate_text(draft_yaml(case), "report").ok
    return case


def person(case, text: str):
    """The drafted person any of whose names normalises to ``text``."""
    found = [p for p in case.persons if norm(text) in {norm(x) for x in [p.id, p.name, *(p.aliases or [])]}]
    assert len(found) == 1, (text, [p.name for p in case.persons])
    return found[0]


def rels(case) -> set[tuple[str, str, str]]:
    return {(r.type, r.from_, r.to) for r in case.relationships}


def linked(case, type_: str, a, b) -> bool:
    return (type_, a.id, b.id) in rels(case) or (type_, b.id, a.id) in rels(case)


ROLES = """2.1 The victim met the perpetrator in 2010 and the victim moved in with him. The victim was pregnant in 2014.

2.2 The perpetrator had a long history of violence. In 2005 the perpetrator assaulted the ex-partner and was arrested. The ex-partner moved away from the perpetrator.

2.3 In 2007 the ex-partner and child were terrified by the perpetrator's violent behaviour in a street.

2.4 In 2008 the perpetrator assaulted an extended family member of the ex-partner. In the same year the perpetrator threatened an extended family member and was cautioned.

2.5 In 2001 the police attended a domestic incident in which two siblings were injured by the perpetrator.

2.6 The victim told her GP that she was expecting a baby. The unborn baby was made subject of a child protection plan.

2.7 On the evening before her death the victim called a friend and appeared well. The perpetrator was well established as a dealer.
"""


def test_role_phrase_persons(tmp_path):
    case = draft(tmp_path, ROLES)
    victim, perp = person(case, "the victim"), person(case, "the perpetrator")
    ex = person(case, "the ex-partner")
    assert ("partner", ex.id, perp.id) in rels(case) or ("partner", perp.id, ex.id) in rels(case)
    assert ("abuse", perp.id, ex.id) in rels(case)
    child = person(case, "the child of the perpetrator and the ex-partner")
    assert ("parent", perp.id, child.id) in rels(case) and ("parent", ex.id, child.id) in rels(case)
    assert ("abuse", perp.id, child.id) in rels(case)
    member = person(case, "an extended family member of the ex-partner")
    assert ("relative", member.id, ex.id) in rels(case) and ("abuse", perp.id, member.id) in rels(case)
    other = person(case, "an extended family member")
    assert other is not member and ("abuse", perp.id, other.id) in rels(case)
    siblings = [p for p in case.persons if "two siblings" in (p.aliases or [])]
    assert len(siblings) == 2
    assert all(linked(case, "sibling", perp, s) and ("abuse", perp.id, s.id) in rels(case) for s in siblings)
    assert linked(case, "sibling", *siblings)
    unborn = person(case, "the unborn baby")
    assert unborn.unborn and ("parent", victim.id, unborn.id) in rels(case)
    friend = person(case, "a friend")
    assert linked(case, "friend", victim, friend)
    assert not any("dealer" in p.name for p in case.persons)  # what the perpetrator was, not someone else


def test_role_phrases_in_guidance_text_are_not_persons(tmp_path):
    body = """2.1 The victim lived with the perpetrator. The perpetrator assaulted the victim in 2014 and the victim left.

3. Terms of reference

3.1 The review will consider whether a friend or an extended family member of the victim could have helped.

4. Analysis

4.1 Victims may tell a friend before they tell an agency. The victim said that the perpetrator was violent.
"""
    case = draft(tmp_path, body)
    names = {norm(x) for p in case.persons for x in [p.name, *(p.aliases or [])]}
    assert "a friend" not in names and not any("family member" in n for n in names)


def test_a_former_partner_named_by_label_is_not_a_new_person(tmp_path):
    body = """2.1 The key people are:

Name	Relationship
Victim	Female - Partner of Perpetrator
Perpetrator	Male - Partner of Victim, Ex-Partner of PFP, Father of S1 and S2 and S3
PFP	Mother of S1 and S2 and S3
S1	Born 2007
S2	Born 2009
S3	Born 2011

2.2 The Perpetrator had three children by a former partner and the former partner (PFP) moved away. The former partner (PFP) told police that the Perpetrator threatened her.
"""
    case = draft(tmp_path, body)
    assert not any(p.name.lower().startswith("the former partner") for p in case.persons)
    perp, pfp = person(case, "Perpetrator"), person(case, "PFP")
    for label in ("S1", "S2", "S3"):
        child = person(case, label)
        assert ("parent", perp.id, child.id) in rels(case) and ("parent", pfp.id, child.id) in rels(case)
    assert perp.sex == "male"


def test_key_table_designation_gives_sex(tmp_path):
    body = """2.1 The key people are:

Designation	Age at the time of the death	Ethnic origin
The victim: victim and mother	22 years	White British
The perpetrator: ex-partner and father	28 years	White British
Child of above	3 years	White British

2.2 The perpetrator assaulted the victim in 2012. The perpetrator would often stop her seeing her family and she told the police.
"""
    case = draft(tmp_path, body)
    assert person(case, "the perpetrator").sex == "male"
    assert person(case, "the victim").sex == "female"


PRONOUNS_HEAD = """WESTSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 The key people are:

Name	S	J	R
Relationship	Subject of DHR	Son	Daughter
Ethnicity	White British	White British	White British

1.2 R told the Panel Chair that she had felt ignored by services dealing with her brother in the months before her mother's death. The impact of his behaviour on her and her mother was not understood and no-one asked about her brother.

1.3 S lived with both of her children, her son J and her daughter R. Her children have different fathers. There was no known contact with J's father. Her daughter was staying with her father at the time.

1.4 J assaulted S in 2003. J was the perpetrator. J assaulted S again in 2010 and S told the police. S was frightened of J.
"""


def test_pronouns_keep_to_their_person(tmp_path):
    case = draft(tmp_path, "", head=PRONOUNS_HEAD)
    s, j, r = person(case, "S"), person(case, "J"), person(case, "R")
    names = {p.name for p in case.persons}
    assert "S's brother" not in names and "S's mother" not in names and "S's father" not in names
    r_father, j_father = person(case, "R's father"), person(case, "J's father")
    assert ("parent", r_father.id, r.id) in rels(case)
    # the parents of a child are (or were) partners
    assert linked(case, "partner", s, r_father) and linked(case, "partner", s, j_father)
    # half siblings through their mother
    assert linked(case, "sibling", j, r)


def test_no_half_siblings_through_a_fathers_other_partner(tmp_path):
    body = """2.1 The key people are:

Name	Relationship
Victim	Female - Partner of Perpetrator, Mother of C1
Perpetrator	Male - Partner of Victim, Father of C1 and C2, Ex-Partner of PFP
PFP	Mother of C2
C1	Child of Victim and Perpetrator
C2	Child of Perpetrator and PFP

2.2 The Perpetrator assaulted the Victim in 2014. The Perpetrator assaulted PFP in 2010. The Victim called the police.
"""
    case = draft(tmp_path, body)
    c1, c2 = person(case, "C1"), person(case, "C2")
    assert not linked(case, "sibling", c1, c2)


def test_a_label_explained_as_the_perpetrator_is_not_a_person(tmp_path):
    body = """2.1 The key people are:

Name	Relationship
Victim	Female - Partner of Perpetrator
Perpetrator	Male - Partner of Victim

2.2 The Victim lived with the Perpetrator. The Perpetrator assaulted the Victim in 2014.

2.3 Guidance sets out when to disclose (A being the Victim - B being the Perpetrator). The police may disclose to A where B has a history. A may ask about B. The police may tell A about B's past. B may be warned.
"""
    case = draft(tmp_path, body)
    assert not any(p.name == "B" for p in case.persons)


KEY = """2.1 The key people are:

Name	Relationship
Victim	Female - Partner of Perpetrator, Mother of S3
Perpetrator	Male - Partner of Victim, Ex-Partner of PFP, Father of S1 and S2
PFP	Female - Mother of S1 and S2
S1	Child of Perpetrator and PFP
S2	Child of Perpetrator and PFP
S3	Son of Victim and P1
P1	Father of S3
M	Mother of Victim
F2	Partner of M

"""


def test_relationships_from_sentences(tmp_path):
    body = KEY + """2.2 The Victim and the Perpetrator had known each other for some years as casual friends.

2.3 In 2011 PFP reported that the Perpetrator was harassing her and being abusive towards her and the children in public.

2.4 The Victim lived with her mother, her step father and S3.

2.5 In 2013 the Perpetrator went to the house of PFP's mother and was threatening her mother and her brother.

2.6 In 2014 officers saw PFP at her mother's address. She disclosed that she was pregnant and the Perpetrator was not the father of the unborn child.

2.7 The Perpetrator assaulted the Victim in 2014 and the Victim called the police.
"""
    case = draft(tmp_path, body)
    victim, perp, pfp = person(case, "Victim"), person(case, "Perpetrator"), person(case, "PFP")
    assert linked(case, "friend", victim, perp)
    s1, s2, s3 = person(case, "S1"), person(case, "S2"), person(case, "S3")
    assert ("abuse", perp.id, s1.id) in rels(case) and ("abuse", perp.id, s2.id) in rels(case)
    assert ("abuse", perp.id, s3.id) not in rels(case)
    m, f2 = person(case, "M"), person(case, "F2")
    assert ("parent", f2.id, victim.id) in rels(case)          # "her step father": her mother's partner
    assert ("abuse", perp.id, m.id) not in rels(case)           # "her mother" is PFP's mother here
    pfp_mother = person(case, "PFP's mother")
    assert ("abuse", perp.id, pfp_mother.id) in rels(case)
    unborn = [p for p in case.persons if p.unborn]
    assert len(unborn) == 1 and ("parent", pfp.id, unborn[0].id) in rels(case)
    assert not any(r.type == "sibling" and unborn[0].id in (r.from_, r.to) for r in case.relationships)


def test_children_on_a_plan_for_emotional_abuse(tmp_path):
    body = """2.1 The key people are:

Designation	Age at the time of the death
The victim: victim and mother	22 years
The perpetrator: ex-partner and father	28 years
Child of above	3 years
Child of above	1 year

2.2 The victim had two children, who were subject of child protection plans under the category of emotional abuse because of the domestic abuse by the perpetrator. The perpetrator assaulted the victim in 2012.

2.3 In 2006 the perpetrator was arrested for harassment of the maternal grandmother of the ex-partner. The ex-partner moved away. The ex-partner told the police that the perpetrator followed her. The victim was not told about the ex-partner.
"""
    case = draft(tmp_path, body)
    perp = person(case, "the perpetrator")
    children = [p for p in case.persons if p.name.startswith("Child of above")]
    assert len(children) == 2 and all(("abuse", perp.id, c.id) in rels(case) for c in children)
    gm = person(case, "the maternal grandmother of the ex-partner")
    ex = person(case, "the ex-partner")
    assert ("relative", gm.id, ex.id) in rels(case) and ("abuse", perp.id, gm.id) in rels(case)


LABELS = """NORTHSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 This review concerns the death of Adult A, who was killed by Adult B in 2016. To protect the family, pseudonyms are used: the victim's son is referred to as Child 1.

1.2 Adult A lived with Adult B and her two children, Child 1 and Child 2. Mr X, a neighbour, called the police. Ms Y, Adult A's sister, gave evidence to the review.

2. The facts

2.1 In 2014 Adult B assaulted Adult A. Child 1 was present. Adult A told Ms Y that Adult B had threatened her.

2.2 In 2015 Mr X heard shouting and called the police. Adult B was arrested. Child 2 stayed with Ms Y.
"""


def test_labels_and_the_homicide_sentence(tmp_path):
    case = draft(tmp_path, "", head=LABELS)
    a, b = person(case, "Adult A"), person(case, "Adult B")
    assert "victim" in a.roles and "perpetrator" in b.roles
    assert not any(p.name in ("A", "B", "X", "Y") for p in case.persons)
    c1, c2 = person(case, "Child 1"), person(case, "Child 2")
    assert ("parent", a.id, c1.id) in rels(case) and ("parent", a.id, c2.id) in rels(case)
    assert "the victim's son" in c1.aliases and c1.sex == "male"
    x, y = person(case, "Mr X"), person(case, "Ms Y")
    assert x.sex == "male" and y.sex == "female"
    assert linked(case, "sibling", y, a) and linked(case, "associate", x, a)
    assert person(case, "a neighbour") is x


PSEUDONYMS = """NORTHSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 The victim, referred to in this report as Sarah, was killed by her husband, known as Mark for the purposes of this review, in March 2017. Sarah's mother and her brother (referred to as Tom) contributed to the review.

1.2 Sarah and Mark had two children, Lily (8) and Sam (5). Mark had a previous partner, Helen, who had reported him to the police in 2009.

2. The facts

2.1 In 2015 Mark assaulted Sarah. Tom saw bruises on Sarah's arm.

2.2 In 2009 Helen reported that Mark had hit her. Mark was convicted of the murder of Sarah.
"""


def test_introduced_pseudonyms_and_appositions(tmp_path):
    case = draft(tmp_path, "", head=PSEUDONYMS)
    sarah, mark, tom = person(case, "Sarah"), person(case, "Mark"), person(case, "Tom")
    assert "victim" in sarah.roles and "perpetrator" in mark.roles
    assert "her husband" in mark.aliases and linked(case, "partner", sarah, mark)
    assert linked(case, "sibling", tom, sarah)
    assert not any(p.name.endswith("'s brother") for p in case.persons)  # "her brother" is Tom
    lily, sam = person(case, "Lily"), person(case, "Sam")
    for child in (lily, sam):
        assert ("parent", sarah.id, child.id) in rels(case) and ("parent", mark.id, child.id) in rels(case)
    helen = person(case, "Helen")
    assert linked(case, "partner", helen, mark)


TABLE = """SOUTHSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 The following pseudonyms are used in this report:

Pseudonym	Relationship to victim	Age	Ethnicity
Anna	Victim	41	White British
Paul	Husband and perpetrator	45	White British
Ben	Son	12	White British

1.2 Anna (the victim) was killed by Paul in 2018. Anna's friend, Kate, gave information to the review.

2. The facts

2.1 In 2016 Paul assaulted Anna. Kate told the police that Paul was controlling.
"""


def test_pseudonym_table_with_several_words_and_a_friend_in_apposition(tmp_path):
    case = draft(tmp_path, "", head=TABLE)
    anna, paul, ben = person(case, "Anna"), person(case, "Paul"), person(case, "Ben")
    assert "perpetrator" in paul.roles and "the perpetrator" in paul.aliases
    assert linked(case, "partner", anna, paul) and ("parent", anna.id, ben.id) in rels(case)
    assert anna.sex == "female"  # from the first name
    kate = person(case, "Kate")
    assert linked(case, "friend", kate, anna) and kate.roles == ["friend"]
    assert not any(p.name == "Anna's friend" for p in case.persons)


def test_the_ex_partner_who_may_be_the_victim_is_not_another_person(tmp_path):
    body = """2.1 The key people are:

Designation	Age at the time of the death
The victim: victim	30 years
The perpetrator: ex-partner	35 years

2.2 The perpetrator assaulted the ex-partner in 2012 and the perpetrator was arrested. The perpetrator later threatened the ex-partner. The victim called the police in 2013.
"""
    case = draft(tmp_path, body)
    assert not any(norm(p.name) == "ex-partner" for p in case.persons)


def test_named_relatives_in_apposition_and_in_brackets(tmp_path):
    head = """EASTSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 This review concerns the death of Adult A, who was killed by Adult B in 2019. Adult A had two children (Child C and Child D) from a previous relationship. Adult A's mother, Rose, and Adult A's brother, Dan, took part in the review.

2. The facts

2.1 In 2017 Adult B assaulted Adult A. Child C called the police. Child D stayed with Rose.
"""
    case = draft(tmp_path, "", head=head)
    a = person(case, "Adult A")
    for label in ("Child C", "Child D"):
        assert ("parent", a.id, person(case, label).id) in rels(case)
    rose, dan = person(case, "Rose"), person(case, "Dan")
    assert ("parent", rose.id, a.id) in rels(case) and "Adult A's mother" in rose.aliases
    assert linked(case, "sibling", dan, a)
    assert {p.name for p in case.persons} == {"Adult A", "Adult B", "Child C", "Child D", "Rose", "Dan"}


def test_the_complainant_who_is_the_victim_is_not_another_person(tmp_path):
    body = """2.1 In 2014 the perpetrator assaulted the victim. The victim was the complainant and the perpetrator was charged.

2.2 In 2015 the complainant withdrew her statement and the perpetrator was released. The victim told her GP about the assault.
"""
    case = draft(tmp_path, body)
    assert not any("complainant" in p.name for p in case.persons)
    uncertain = draft(tmp_path, ROLES)
    friend = person(uncertain, "a friend")
    assert friend.notes and friend.notes.startswith("uncertain:")


def test_role_and_kin_labels(tmp_path):
    body = """2.1 The victim lived with Daughter A. The perpetrator assaulted the victim in 2015 and Friend 1 called the police.

2.2 Friend 1 told the review that the perpetrator was controlling. Daughter A stayed with Friend 1 after the homicide.
"""
    case = draft(tmp_path, body)
    daughter, friend = person(case, "Daughter A"), person(case, "Friend 1")
    assert daughter.sex == "female" and "friend" in friend.roles
    assert not any(p.name in ("A", "1") for p in case.persons)


def test_familiar_first_names_and_a_brother_of_unknown_sex(tmp_path):
    head = """WESTSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 Amy was killed by her partner Tom in May 2021. Tom was convicted of her murder in 2022.

1.2 The key people in this review are:

Name	Relationship to Amy	Age
Amy	Victim	29
Tom	Perpetrator (partner)	33
Kevin	Tom's brother	36

2. Background

2.1 In 2020 Kevin told the police that his brother was using cocaine. Tom was arrested after he assaulted Kevin.
"""
    case = draft(tmp_path, "", head=head)
    tom, kevin, amy = person(case, "Tom"), person(case, "Kevin"), person(case, "Amy")
    assert tom.sex == "male"  # a familiar form of Thomas
    assert "his brother" in tom.aliases and not any(p.name == "Kevin's brother" for p in case.persons)
    assert linked(case, "partner", tom, amy) and ("abuse", tom.id, kevin.id) in rels(case)


def test_pronouns_between_labelled_people(tmp_path):
    head = """NORTHSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 This review examines the death of Ms A in January 2020. Mr B, her husband, was convicted of her murder. Ms A had two adult sons, Son 1 and Son 2, from her first marriage.

2. Background

2.1 Ms A and Mr B married in 2012. Ms A's sister told the review that Mr B was controlling. Her sister said that Ms A was frightened of him.

2.2 In 2019 Son 2 told the police that Mr B had threatened his mother. Mr B was cautioned.
"""
    case = draft(tmp_path, "", head=head)
    a, b = person(case, "Ms A"), person(case, "Mr B")
    assert "victim" in a.roles and "perpetrator" in b.roles
    for label in ("Son 1", "Son 2"):
        assert ("parent", a.id, person(case, label).id) in rels(case)
    sister = person(case, "Ms A's sister")
    assert "Her sister" in sister.aliases and "Her sister" not in (a.aliases or [])
    assert "his mother" in a.aliases and not any(p.name == "Mr B's mother" for p in case.persons)


def test_victim_named_by_first_name_in_the_homicide_sentence(tmp_path):
    head = """SOUTHSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 This review concerns the death of Margaret, aged 78, who was killed by her son, referred to in this report as David, in 2019.

1.2 Margaret was widowed in 2010. Her daughter, Susan, lived nearby. David lived with his mother.

2. Background

2.1 In 2017 Susan told the GP that David was shouting at their mother. The GP referred Margaret to adult social care.

2.2 In 2018 David was arrested for an assault on Margaret and released without charge.
"""
    case = draft(tmp_path, "", head=head)
    margaret, david, susan = person(case, "Margaret"), person(case, "David"), person(case, "Susan")
    assert "victim" in margaret.roles and "perpetrator" in david.roles
    assert ("parent", margaret.id, david.id) in rels(case) and ("parent", margaret.id, susan.id) in rels(case)
    assert ("abuse", david.id, margaret.id) in rels(case)


def test_key_table_with_the_pseudonym_in_the_second_column(tmp_path):
    head = """EASTSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 The people in this review are referred to by the following pseudonyms:

Relationship	Pseudonym	Age	Ethnicity
Victim	Sarah	34	White British
Perpetrator, partner of Sarah	Mark	36	White British
Son of Sarah	Jack	10	White British
Mother of Sarah	Linda	60	White British

2. The facts

2.1 In 2018 Mark assaulted Sarah at home while Jack was present. Linda called the police.
"""
    case = draft(tmp_path, "", head=head)
    assert {p.name for p in case.persons} == {"Sarah", "Mark", "Jack", "Linda"}
    sarah, mark, jack, linda = (person(case, n) for n in ("Sarah", "Mark", "Jack", "Linda"))
    assert "victim" in sarah.roles and "perpetrator" in mark.roles and mark.sex == "male"
    assert linked(case, "partner", mark, sarah)
    assert ("parent", sarah.id, jack.id) in rels(case) and ("parent", linda.id, sarah.id) in rels(case)
    assert ("abuse", mark.id, sarah.id) in rels(case)
    assert ("abuse", mark.id, jack.id) not in rels(case)  # present, in another clause


def test_names_the_report_says_are_not_real(tmp_path):
    head = """EASTSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 The victim, Jane (not her real name), was 45 when she died in 2020. Jane's partner, John (pseudonym), was convicted of her manslaughter.

2. The facts

2.1 In 2018 John assaulted Jane.
"""
    case = draft(tmp_path, "", head=head)
    jane, john = person(case, "Jane"), person(case, "John")
    assert "victim" in jane.roles and "perpetrator" in john.roles
    assert linked(case, "partner", jane, john) and ("abuse", john.id, jane.id) in rels(case)


def test_alleged_perpetrator(tmp_path):
    head = """EASTSHIRE COMMUNITY SAFETY PARTNERSHIP

DOMESTIC HOMICIDE REVIEW

1. Introduction

1.1 The victim took her own life in 2021. The review considered the abuse she experienced from the alleged perpetrator.

2. The facts

2.1 In 2019 the alleged perpetrator assaulted the victim. In 2020 the alleged perpetrator threatened the victim and the victim told her GP.
"""
    case = draft(tmp_path, "", head=head)
    victim, perp = person(case, "the victim"), person(case, "the perpetrator")
    assert "perpetrator" in perp.roles and ("abuse", perp.id, victim.id) in rels(case)

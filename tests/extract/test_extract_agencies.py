"""Agencies in a DHR report: which bodies a review counts, and under which names.

Small synthetic reports only (the conventions, not the seed reports).
"""

from __future__ import annotations

from dhrkg.ingest.report.agencies import extract_agencies, name_key, names_in, settle_generic_services
from dhrkg.ingest.report.context import Context
from dhrkg.ingest.report.document import build_document
from dhrkg.ingest.report.readers import text_blocks
from dhrkg.ingest.report.score import norm

REPORT = """\
OVERVIEW REPORT

GLOSSARY

WMP\tWest Midlands Police
PPU\tPublic Protection Unit
BCC\tBirmingham City Council

1. Introduction

1.1 Adult A was killed by her partner, Adult B, in Coventry in 2016.

1.2 Individual Management Reviews were requested from the following agencies:

- West Midlands Police
- Probation including Coventry – National Probation Service Midlands Division, Coventry and Solihull
- Coventry and Warwickshire NHS Cluster and relevant GPs
- Coventry Children's Social Care
- Coventry Acute Hospitals NHST
- Coventry Women's Hospital Foundation Trust
- Birmingham City Council Homeless and Pre-Tenancy Service
- Birmingham City Council – Landlord Services

1.3 The members of the panel were:

- Detective Inspector, West Midlands Police
- Senior Service Manager, Early Years, Childcare and Children's Centres, Birmingham City Council
- Senior Service Manager, Homelessness and Pre-Tenancy Service, Birmingham City Council
- Lead Midwife, Coventry Women's NHS Foundation Trust

1.4 The Chair is independent of the Solihull Vulnerable Adults Board and of the agencies involved.

2. The facts

2.1 On 3rd March 2015 Adult A was seen by a nurse at Coventry Health Care Trust. The Public Protection Unit reviewed the case.

2.2 In 2015 Adult B was assessed by SMART (Substance Misuse Arrest Referral Team) in custody.

2.3 HM Coroner for Worcestershire opened an inquest on 1st April 2016.

2.4 The case was referred to MARAC on 21/03/2016. The Birmingham City Council Landlord Services visited the flat.

2.5 The Coventry Community Safety Partnership is a joint partnership between Birmingham City Council, West Midlands Police, Warwickshire Fire Service, Warwickshire Probation Trust and the health trusts.
"""


def _agencies(text: str = REPORT) -> Context:
    ctx = Context(build_document(text_blocks(text), "synthetic.txt"))
    extract_agencies(ctx)
    return ctx


def _by_name(ctx: Context) -> dict[str, object]:
    out = {}
    for a in ctx.agencies:
        for n in a.names():
            out[norm(n)] = a
    return out


def test_contributors_list_names_bodies_without_a_head_word():
    names = _by_name(_agencies())
    assert names[norm("Coventry Children's Social Care")].origin == "contributors"


def test_a_label_before_a_dash_is_not_part_of_the_name():
    ctx = _agencies()
    nps = _by_name(ctx)[norm("National Probation Service Midlands Division")]
    assert nps.name == "National Probation Service Midlands Division, Coventry and Solihull"
    assert not any(a.name.startswith("Probation including") for a in ctx.agencies)


def test_a_body_and_its_relevant_services_are_two_agencies():
    ctx = _agencies()
    names = _by_name(ctx)
    cluster = names[norm("Coventry and Warwickshire NHS Cluster")]
    assert cluster.type == "health"
    gps = [a for a in ctx.agencies if a.type == "gp"]
    assert len(gps) == 1 and gps[0] is not cluster


def test_panel_items_give_the_body_after_the_role():
    names = _by_name(_agencies())
    assert norm("Early Years, Childcare and Children's Centres, Birmingham City Council") in names
    assert norm("Senior Service Manager") not in names


def test_spelling_variants_of_one_body_are_merged():
    ctx = _agencies()
    names = _by_name(ctx)
    homeless = names[norm("Birmingham City Council Homeless and Pre-Tenancy Service")]
    assert names[norm("Homelessness and Pre-Tenancy Service, Birmingham City Council")] is homeless
    womens = names[norm("Coventry Women's Hospital Foundation Trust")]
    assert names[norm("Coventry Women's NHS Foundation Trust")] is womens
    assert name_key("Coventry Health Care Trust") == name_key("Coventry Healthcare Trust")
    assert name_key("Coventry Children's Services") == name_key("Coventry Children's Social Care")


def test_aliases_spell_out_nhs_abbreviations_and_dashes():
    names = _by_name(_agencies())
    assert names[norm("Coventry Acute Hospitals NHS Trust")].name == "Coventry Acute Hospitals NHST"
    landlord = names[norm("Birmingham City Council - Landlord Services")]
    assert landlord.name == "Birmingham City Council – Landlord Services"


def test_a_place_after_for_belongs_to_the_name():
    assert [n for _, _, n in names_in("HM Coroner for Worcestershire opened an inquest")] == \
        ["HM Coroner for Worcestershire"]
    assert [n for _, _, n in names_in("West Midlands Police for the second time")] == ["West Midlands Police"]


def test_abbreviation_before_its_expansion():
    ctx = _agencies()
    assert ctx.abbreviations["SMART"] == "Substance Misuse Arrest Referral Team"
    assert _by_name(ctx)[norm("SMART")].type == "substance_misuse"


def test_a_unit_named_by_its_kind_is_folded_into_the_named_force():
    ctx = _agencies()
    wmp = _by_name(ctx)[norm("West Midlands Police")]
    assert "Public Protection Unit" in wmp.aliases
    assert not any(a.name == "Public Protection Unit" for a in ctx.agencies)


def test_bodies_named_only_about_the_review_are_not_counted():
    names = _by_name(_agencies())
    # named once, in the chair's independence statement
    assert norm("Solihull Vulnerable Adults Board") not in names
    # named once, in a list of a partnership's members
    assert norm("Warwickshire Fire Service") not in names
    assert norm("Warwickshire Probation Trust") not in names
    # the CSP is counted: it commissions the review
    assert norm("Coventry Community Safety Partnership") in names
    # a glossary body whose units are named stays
    assert norm("Birmingham City Council") in names


def test_a_council_named_only_with_its_units_is_not_a_body_of_its_own():
    text = """\
1. Contributors

1.1 Individual Management Reviews were requested from the following agencies:

- Staffordshire County Council: Education Inclusion
- Staffordshire County Council: Families First
- Staffordshire Police

1.2 The panel members were:

Head of Service\tStaffordshire County Council – Community Safety
Manager\tStaffordshire County Council – Strategic Safeguarding

2. Facts

2.1 In 2012 Staffordshire County Council: Families First visited the home with Staffordshire Police.
"""
    names = _by_name(_agencies(text))
    assert norm("Staffordshire County Council") not in names
    assert norm("Staffordshire County Council – Community Safety") in names


def test_marac_is_a_meeting_not_an_agency_and_unused_generic_services_go():
    ctx = _agencies()
    assert not any(a.type == "marac" for a in ctx.agencies)
    gp = next(a for a in ctx.agencies if a.type == "gp")
    from dhrkg.ingest.report.agencies import generic_agency

    prison = generic_agency(ctx, "prison", "Prison", 0)
    settle_generic_services(ctx, [{"agency": "west-midlands-police"}], [])
    assert prison not in ctx.agencies
    assert gp in ctx.agencies  # named in the contributors list


def test_a_kind_of_service_acting_for_the_people_of_the_case_is_kept_or_made():
    text = """\
1. The review process

1.1 Letters were sent to the perpetrator in prison but he did not reply.

2. Facts

2.1 In 2012 the victim was found at home. The ambulance service was summoned and confirmed that the victim was dead.

2.2 Crime and disorder partnerships include local authorities, probation services and health agencies.
"""
    ctx = _agencies(text)
    settle_generic_services(ctx, [], [])
    kinds = {a.type for a in ctx.agencies}
    assert "ambulance" in kinds
    assert "prison" not in kinds and "probation" not in kinds


CONTACT = """\
GLOSSARY

YOT\tYouth Offending Team
CAMHS\tChild and Adolescent Mental Health Services

1. Background

1.1 Adult A was known to Coventry Children's Services and Education. Her son had contact with Education Social Welfare, Educational Psychologists, YOT and CAMHS.

2. Analysis and Recommendations

2.1 With regards to Warwickshire Education and Learning, it is known that the boy was registered at a school in Warwickshire but did not attend.

2.2 If a referral had been made to Worcestershire Children Missing Education Team, this may have triggered an assessment.
"""


def test_a_contact_list_beside_named_bodies_names_bodies():
    names = _by_name(_agencies(CONTACT))
    assert norm("Education Social Welfare") in names and norm("Educational Psychologists") in names
    assert norm("Coventry Children's Services and Education") not in names


def test_a_place_makes_education_and_social_care_names_bodies():
    names = _by_name(_agencies(CONTACT))
    assert norm("Warwickshire Education and Learning") in names
    assert [n for _, _, n in names_in("a referral to Birmingham Children's Social Care was made")] == \
        ["Birmingham Children's Social Care"]
    assert names_in("the Children's Social Care team") == []


def test_a_body_named_once_in_what_might_have_been_is_not_counted():
    names = _by_name(_agencies(CONTACT))
    assert norm("Worcestershire Children Missing Education Team") not in names


def test_an_unnamed_facility_someone_was_sent_to_is_a_body():
    text = """\
1. Facts

1.1 In 2012 Adult B was charged with murder and was remanded to the regional forensic unit.

1.2 In 2013 he was referred to an Out of Hours GP clinic, and later admitted to a local hospital.
"""
    ctx = _agencies(text)
    names = _by_name(ctx)
    assert names[norm("regional forensic unit")].type == "mental_health"
    assert names[norm("Out of Hours GP clinic")].type == "gp"
    assert norm("local hospital") not in names


def test_representatives_and_facilities_named_by_their_kind():
    text = """\
1. The review

1.1 The Chair invited a Specialist from the Pathway to Recovery Drug Advisory Service to inform the Panel.

2. Facts

2.1 In 2011 Adult A went to the Walk in Centre with a head injury.

2.2 In 2012 she went to the Walk in Centre again. An advisor from the Pathway to Recovery Service saw Adult B.

2.3 The Walk in Centre did not ask about domestic abuse.

2.4 She was seen at the Children's Centre once.
"""
    ctx = _agencies(text)
    names = _by_name(ctx)
    pathway = names[norm("Pathway to Recovery Drug Advisory Service")]
    assert names[norm("Pathway to Recovery Service")] is pathway
    assert names[norm("Walk in Centre")].type == "health"
    assert norm("Children's Centre") not in names


def test_guards_on_the_looser_rules():
    text = """\
1. Contributors

1.1 Individual Management Reviews were requested from the following agencies:

- Coventry Children's Services
- Was the police response to the call appropriate?

2. Facts

2.1 In 2012 Adult A was known to Children's Services, West Midlands Police and Coventry Youth Offending Service.

2.2 In 2013 she was admitted to the intensive care unit of the hospital.
"""
    ctx = _agencies(text)
    names = _by_name(ctx)
    assert norm("Children's Services") not in names or names[norm("Children's Services")] is \
        names[norm("Coventry Children's Services")]
    assert not any("police response" in a.name.lower() for a in ctx.agencies)
    assert norm("intensive care unit") not in names


DIRECTORATE_REPORT = """\
OVERVIEW REPORT

1. Introduction

1.1 Individual Management Reviews were requested from the following agencies:

- Eastshire Police
- Eastshire County Council – Children and Families Directorate

2. The facts

2.1 In May 2015 Children's Social Care received a referral about Adult A's children.

2.2 Children’s Social Care visited Adult A at home in June 2015.
"""


def test_a_directorate_is_also_written_with_the_service_the_narrative_calls_it():
    ctx = _agencies(DIRECTORATE_REPORT)
    directorate = next(a for a in ctx.agencies if "Directorate" in a.name)
    names = {norm(n) for n in directorate.names()}
    assert norm("Eastshire County Council - Children and Families Directorate (Children's Social Care)") in names


def test_a_directorate_the_narrative_never_calls_by_its_service_gets_no_service_form():
    text = DIRECTORATE_REPORT.replace("Children's Social Care", "The directorate").replace(
        "Children’s Social Care", "The directorate")
    ctx = _agencies(text)
    directorate = next(a for a in ctx.agencies if "Directorate" in a.name)
    assert not any("(" in n for n in directorate.names())


def test_a_body_written_with_its_service_in_brackets_keeps_that_form():
    text = DIRECTORATE_REPORT.replace("- Eastshire Police", "- Eastshire Police\n- Eastshire Community NHS Trust (re victim)") + """
3. Recommendations

Agency: Eastshire Community NHS Trust (Health Visitors)

3.1 Eastshire Community NHS Trust to train its health visitors.
"""
    ctx = _agencies(text)
    trust = _by_name(ctx)[norm("Eastshire Community NHS Trust")]
    names = {norm(n) for n in trust.names()}
    assert norm("Eastshire Community NHS Trust (Health Visitors)") in names
    assert norm("Eastshire Community NHS Trust (re victim)") not in names

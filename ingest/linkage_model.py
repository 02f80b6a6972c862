"""The Splink model for people records: features, comparisons, blocking rules, training.

Records are prepared in DuckDB (upper-case names, nickname groups, the parts of a possibly
partial date of birth, postcode area); the same SQL runs on Spark (see docs/linkage.md).
Comparison levels are named so that a scored pair can be explained field by field
(``explain``): which fields agreed, agreed partly, disagreed or were missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import synth_names

RECORD_COLUMNS = ("record_id", "source", "force_area", "forename", "surname", "date_of_birth", "sex", "postcode_district")

# comparison -> [(level label, outcome)], in Splink's order (the null level first, ELSE last);
# gamma value g of a comparison with L levels is L - 2 - index for non-null levels, -1 for null.
LEVELS: dict[str, list[tuple[str, str]]] = {
    "forename": [("missing", "missing"), ("exact", "agree"), ("nickname", "agree"),
                 ("one typo", "partial"), ("similar", "partial"), ("different", "disagree")],
    "surname": [("missing", "missing"), ("exact", "agree"), ("one typo", "partial"),
                ("similar", "partial"), ("different", "disagree")],
    "date_of_birth": [("missing", "missing"), ("exact", "agree"), ("day and month transposed", "partial"),
                      ("one typo or within 10 days", "partial"), ("same year and month (partial date)", "partial"),
                      ("same year (partial date)", "partial"), ("different", "disagree")],
    "sex": [("missing", "missing"), ("same", "agree"), ("different", "disagree")],
    "postcode_district": [("missing", "missing"), ("same district", "agree"), ("same postcode area", "partial"),
                          ("different", "disagree")],
}
COMPARISONS = tuple(LEVELS)


def name_groups_sql_values() -> str:
    rows = synth_names.name_groups()
    def q(v: str) -> str:
        return "'" + v.replace("'", "''") + "'"

    return ", ".join(f"({q(n)}, {q(g)})" for n, g in rows)


def prepare_sql(source_relation: str) -> str:
    """SQL selecting the model's input columns from a relation with ``RECORD_COLUMNS``."""
    clean = "nullif(upper(regexp_replace(coalesce({c}, ''), '[^A-Za-z]', '', 'g')), '')"
    return f"""
WITH name_groups(name, grp) AS (VALUES {name_groups_sql_values()}),
base AS (
  SELECT record_id AS unique_id, source, force_area,
         {clean.format(c='forename')} AS forename,
         {clean.format(c='surname')} AS surname,
         nullif(trim(coalesce(date_of_birth, '')), '') AS dob_raw,
         CASE upper(trim(coalesce(sex, ''))) WHEN 'M' THEN 'M' WHEN 'MALE' THEN 'M'
              WHEN 'F' THEN 'F' WHEN 'FEMALE' THEN 'F' ELSE NULL END AS sex,
         nullif(upper(replace(coalesce(postcode_district, ''), ' ', '')), '') AS postcode_district
  FROM {source_relation}
),
groups AS (
  SELECT b.unique_id,
         list_sort(list_distinct(list(g.grp) FILTER (WHERE g.grp IS NOT NULL))) AS formals
  FROM base b LEFT JOIN name_groups g ON g.name = b.forename
  GROUP BY b.unique_id
)
SELECT b.unique_id, b.source, b.force_area, b.forename, b.surname, b.sex, b.postcode_district,
       CASE WHEN b.forename IS NULL THEN NULL ELSE list_distinct(list_append(coalesce(g.formals, []), b.forename)) END
         AS forename_groups,
       CASE WHEN b.forename IS NULL THEN NULL ELSE coalesce(g.formals[1], b.forename) END AS forename_key,
       CASE WHEN try_strptime(b.dob_raw, '%Y-%m-%d') IS NOT NULL THEN b.dob_raw END AS dob,
       CASE WHEN regexp_matches(b.dob_raw, '^[0-9]{{4}}(-[0-9]{{2}}){{0,2}}$') THEN try_cast(substr(b.dob_raw, 1, 4) AS INTEGER) END AS dob_year,
       CASE WHEN regexp_matches(b.dob_raw, '^[0-9]{{4}}-[0-9]{{2}}') THEN try_cast(substr(b.dob_raw, 6, 2) AS INTEGER) END AS dob_month,
       CASE WHEN try_strptime(b.dob_raw, '%Y-%m-%d') IS NOT NULL THEN try_cast(substr(b.dob_raw, 9, 2) AS INTEGER) END AS dob_day,
       regexp_extract(b.postcode_district, '^[A-Z]+') AS postcode_area
FROM base b LEFT JOIN groups g USING (unique_id)
"""


def prepare_spark_sql(source_relation: str) -> str:
    """The same input columns as :func:`prepare_sql`, in Spark SQL (see docs/linkage.md)."""
    clean = "nullif(upper(regexp_replace(coalesce({c}, ''), '[^A-Za-z]', '')), '')"
    return f"""
WITH name_groups AS (SELECT * FROM VALUES {name_groups_sql_values()} AS t(name, grp)),
base AS (
  SELECT record_id AS unique_id, source, force_area,
         {clean.format(c='forename')} AS forename,
         {clean.format(c='surname')} AS surname,
         nullif(trim(coalesce(date_of_birth, '')), '') AS dob_raw,
         CASE upper(trim(coalesce(sex, ''))) WHEN 'M' THEN 'M' WHEN 'MALE' THEN 'M'
              WHEN 'F' THEN 'F' WHEN 'FEMALE' THEN 'F' ELSE NULL END AS sex,
         nullif(upper(replace(coalesce(postcode_district, ''), ' ', '')), '') AS postcode_district
  FROM {source_relation}
),
groups AS (
  SELECT b.unique_id, array_sort(collect_set(g.grp)) AS formals
  FROM base b LEFT JOIN name_groups g ON g.name = b.forename
  GROUP BY b.unique_id
),
dated AS (
  SELECT b.*, g.formals,
         b.dob_raw RLIKE '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$'
           AND try_to_timestamp(b.dob_raw, 'yyyy-MM-dd') IS NOT NULL AS full_date
  FROM base b LEFT JOIN groups g ON g.unique_id = b.unique_id
)
SELECT unique_id, source, force_area, forename, surname, sex, postcode_district,
       CASE WHEN forename IS NULL THEN NULL ELSE array_distinct(concat(coalesce(formals, array()), array(forename))) END
         AS forename_groups,
       CASE WHEN forename IS NULL THEN NULL ELSE coalesce(try_element_at(formals, 1), forename) END AS forename_key,
       CASE WHEN full_date THEN dob_raw END AS dob,
       CASE WHEN dob_raw RLIKE '^[0-9]{{4}}(-[0-9]{{2}}){{0,2}}$' THEN CAST(substr(dob_raw, 1, 4) AS INT) END AS dob_year,
       CASE WHEN dob_raw RLIKE '^[0-9]{{4}}-[0-9]{{2}}' THEN CAST(substr(dob_raw, 6, 2) AS INT) END AS dob_month,
       CASE WHEN full_date THEN CAST(substr(dob_raw, 9, 2) AS INT) END AS dob_day,
       regexp_extract(postcode_district, '^[A-Z]+', 0) AS postcode_area
FROM dated
"""


def _levels(comparison: str, specs: list[tuple[str, Any]]) -> list:
    labels = [label for label, _ in LEVELS[comparison]]
    out = []
    for (label, level), expected in zip(specs, labels):
        assert label == expected, (label, expected)
        out.append(level.configure(label_for_charts=label))
    return out


# SQL functions that differ between DuckDB and Spark (Splink registers jaro_winkler and
# damerau_levenshtein on Spark from its scala-udf-similarity jar)
FUNCTIONS = {
    "duckdb": {"jw": "jaro_winkler_similarity({a}, {b})", "overlap": "list_has_any({a}, {b})",
               "days": "abs(date_diff('day', CAST({a} AS DATE), CAST({b} AS DATE)))"},
    "spark": {"jw": "jaro_winkler({a}, {b})", "overlap": "arrays_overlap({a}, {b})",
              "days": "abs(datediff(to_date({a}), to_date({b})))"},
}


def comparisons(dialect: str = "duckdb") -> list:
    """The five comparisons, with SQL for ``dialect`` ("duckdb" or "spark")."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    fn = {k: v.format for k, v in FUNCTIONS[dialect].items()}

    def custom(sql):
        return cll.CustomLevel(sql)

    forename = cl.CustomComparison(
        output_column_name="forename",
        comparison_levels=_levels("forename", [
            ("missing", cll.NullLevel("forename")),
            ("exact", cll.ExactMatchLevel("forename", term_frequency_adjustments=True)),
            ("nickname", custom(fn["overlap"](a="forename_groups_l", b="forename_groups_r"))),
            ("one typo", custom("damerau_levenshtein(forename_l, forename_r) <= 1")),
            ("similar", custom(fn["jw"](a="forename_l", b="forename_r") + " >= 0.88")),
            ("different", cll.ElseLevel()),
        ]),
    )
    surname = cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=_levels("surname", [
            ("missing", cll.NullLevel("surname")),
            ("exact", cll.ExactMatchLevel("surname", term_frequency_adjustments=True)),
            ("one typo", custom("damerau_levenshtein(surname_l, surname_r) <= 1")),
            ("similar", custom(fn["jw"](a="surname_l", b="surname_r") + " >= 0.88")),
            ("different", cll.ElseLevel()),
        ]),
    )
    dob = cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=_levels("date_of_birth", [
            ("missing", custom("dob_year_l IS NULL OR dob_year_r IS NULL").configure(is_null_level=True)),
            ("exact", custom("dob_l = dob_r")),
            ("day and month transposed",
             custom("dob_l IS NOT NULL AND dob_r IS NOT NULL AND dob_year_l = dob_year_r "
                    "AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r")),
            ("one typo or within 10 days",
             custom("dob_l IS NOT NULL AND dob_r IS NOT NULL AND (damerau_levenshtein(dob_l, dob_r) <= 1 "
                    "OR " + fn["days"](a="dob_l", b="dob_r") + " <= 10)")),
            ("same year and month (partial date)",
             custom("(dob_l IS NULL OR dob_r IS NULL) AND dob_year_l = dob_year_r AND dob_month_l = dob_month_r")),
            ("same year (partial date)",
             custom("(dob_month_l IS NULL OR dob_month_r IS NULL) AND dob_year_l = dob_year_r")),
            ("different", cll.ElseLevel().configure(m_probability=0.02, fix_m_probability=True)),
        ]),
    )
    sex = cl.CustomComparison(
        output_column_name="sex",
        comparison_levels=_levels("sex", [
            ("missing", cll.NullLevel("sex")),
            ("same", cll.ExactMatchLevel("sex")),
            ("different", cll.ElseLevel()),
        ]),
    )
    postcode = cl.CustomComparison(
        output_column_name="postcode_district",
        comparison_levels=_levels("postcode_district", [
            ("missing", cll.NullLevel("postcode_district")),
            ("same district", cll.ExactMatchLevel("postcode_district", term_frequency_adjustments=True)),
            ("same postcode area", custom("postcode_area_l = postcode_area_r")),
            ("different", cll.ElseLevel()),
        ]),
    )
    return [forename, surname, dob, sex, postcode]


def prediction_blocking_rules() -> list:
    """Pairs worth scoring: any one of these holds (Splink removes duplicates)."""
    from splink import block_on

    return [
        block_on("forename_key", "dob"),
        block_on("surname", "dob"),
        block_on("surname", "forename_key", "dob_year"),
        # no date of birth on one side: same names
        {"blocking_rule": "l.forename_key = r.forename_key AND l.surname = r.surname "
                          "AND (l.dob_year IS NULL OR r.dob_year IS NULL)"},
        # surname changed (marriage) and a date error: same forename, year and district
        block_on("forename_key", "dob_year", "postcode_district"),
        # forename unknown to the nickname table and surname changed
        block_on("dob", "postcode_district"),
        # a typo in one name and a partial date of birth on one side
        {"blocking_rule": "l.forename_key = r.forename_key AND l.dob_year = r.dob_year "
                          "AND l.dob_month = r.dob_month AND (l.dob IS NULL OR r.dob IS NULL)"},
        {"blocking_rule": "l.surname = r.surname AND l.dob_year = r.dob_year "
                          "AND l.dob_month = r.dob_month AND (l.dob IS NULL OR r.dob IS NULL)"},
        # a typo in the forename and the surname changed
        block_on("dob", "substr(forename, 1, 1)"),
        # a typo in the forename and no date of birth
        block_on("surname", "postcode_district", "substr(forename, 1, 1)"),
        # a typo in the surname (or a new one) and no date of birth
        {"blocking_rule": "l.forename_key = r.forename_key AND l.postcode_district = r.postcode_district "
                          "AND (l.dob_year IS NULL OR r.dob_year IS NULL)"},
    ]


@dataclass
class TrainingSettings:
    u_max_pairs: float = 2e6
    em_max_pairs: float = 2e6
    seed: int = 42
    prior_recall: float = 0.7


def settings(link_type: str = "dedupe_only", dialect: str = "duckdb"):
    """Splink settings for people records (``dialect``: "duckdb" or "spark")."""
    from splink import SettingsCreator

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons(dialect),
        blocking_rules_to_generate_predictions=prediction_blocking_rules(),
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
        max_iterations=20,
    )


def train(linker, training: TrainingSettings) -> None:
    """Unsupervised training: prior from near-exact matches, u by random sampling, m by EM on
    two blocking rules (each trains the fields it does not block on)."""
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [block_on("forename", "surname", "dob")], recall=training.prior_recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=training.u_max_pairs, seed=training.seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), max_pairs=training.em_max_pairs, estimate_without_term_frequencies=True)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("forename_key", "surname", "postcode_district"), max_pairs=training.em_max_pairs,
        estimate_without_term_frequencies=True)


def explain(gammas: dict[str, int]) -> dict[str, list[str]]:
    """{"agreed": [...], "partly": [...], "disagreed": [...], "missing": [...], "details": [...]}
    from a pair's gamma values (comparison -> level value)."""
    out: dict[str, list[str]] = {"agreed": [], "partly": [], "disagreed": [], "missing": [], "details": []}
    bucket = {"agree": "agreed", "partial": "partly", "disagree": "disagreed", "missing": "missing"}
    for comp in COMPARISONS:
        g = gammas.get(comp)
        if g is None:
            continue
        levels = LEVELS[comp]
        label, outcome = levels[0] if g == -1 else levels[len(levels) - 1 - int(g)]
        out[bucket[outcome]].append(comp)
        out["details"].append(f"{comp}: {label}")
    return out

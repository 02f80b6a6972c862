// name: dhrd-victim-demographics
// title: "DHRD victims: age, sex, ethnicity and other characteristics (the Corpus Explorer's victim view)"
// category: national data (DHRD)
// scope: national
// question: >
//   Who were the victims in the national dataset (DHRD): their age band, sex, ethnicity, sexual
//   orientation, religion, relationship to the perpetrator, previous offences, caring
//   responsibilities, and the mental health and vulnerability indicators recorded?
// parameters:
//   region: {type: string, default: null, description: only this region (e.g. North West); all when unset}
// period: >
//   Not a chronology: one record per review of the national dataset (DHRD), whatever its year of
//   death.
// columns:
//   characteristic: age band, sex, ethnicity, sexual orientation, religion, relationship to perpetrator, previous offences, carer responsibilities, suicide, mental health issues, mental health, vulnerability
//   value: the category ('Unknown' where the metadata does not say; yes/no for flags)
//   victims: victims with it
//   of: victims considered (single-victim incidents only; the DHRD has no victim rows for the others)
//   percent: victims / of, in per cent (one decimal)
// example: dhrkg run dhrd-victim-demographics
// notes: >
//   Mental health and vulnerability indicators are several per victim; each row counts the
//   victims with that indicator.
MATCH (v:Person {dataset: 'dhrd'})-[:SUBJECT_OF {role: 'victim'}]->(r:Review)
WHERE $region IS NULL OR r.region = $region
WITH collect(v) AS victims, count(v) AS total
WHERE total > 0
UNWIND victims AS v
UNWIND [['age band', coalesce(v.age_band, 'Unknown')],
        ['sex', v.sex],
        ['ethnicity', coalesce(v.ethnicity, 'Unknown')],
        ['sexual orientation', coalesce(v.sexual_orientation, 'Unknown')],
        ['religion', coalesce(v.religion, 'Unknown')],
        ['relationship to perpetrator', coalesce(v.relationship_to_perpetrator, 'Unknown')],
        ['previous offences', CASE WHEN v.previous_offences THEN 'yes' ELSE 'no' END],
        ['carer responsibilities', CASE WHEN v.carer_responsibilities THEN 'yes' ELSE 'no' END],
        ['suicide', CASE WHEN v.suicide THEN 'yes' ELSE 'no' END],
        ['mental health issues', CASE WHEN v.mental_health_issues THEN 'yes' ELSE 'no' END]]
       + [m IN coalesce(v.mental_health, []) | ['mental health', m]]
       + [x IN coalesce(v.vulnerabilities, []) | ['vulnerability', x]] AS kv
WITH kv[0] AS characteristic, kv[1] AS value, total, count(*) AS n
RETURN characteristic, value, n AS victims, total AS of, round(1000.0 * n / total) / 10.0 AS percent
ORDER BY characteristic, victims DESC, value

// name: dhrd-perpetrator-demographics
// title: "DHRD perpetrators: age, sex, ethnicity, verdict and other characteristics (the Corpus Explorer's perpetrator view)"
// category: national data (DHRD)
// scope: national
// question: >
//   Who were the perpetrators in the national dataset (DHRD): their age band, sex, ethnicity,
//   sexual orientation, court verdict, previous offences, caring responsibilities (for the
//   victim too), and the mental health and vulnerability indicators recorded?
// parameters:
//   region: {type: string, default: null, description: only this region (e.g. Greater London); all when unset}
// period: >
//   Not a chronology: one record per review of the national dataset (DHRD), whatever its year of
//   death.
// columns:
//   characteristic: age band, sex, ethnicity, sexual orientation, court verdict, previous offences, carer responsibilities, carer for victim, mental health issues, mental health, vulnerability
//   value: the category ('Unknown' where the metadata does not say; yes/no for flags)
//   perpetrators: perpetrators with it
//   of: perpetrators considered (one per incident)
//   percent: perpetrators / of, in per cent (one decimal)
// example: dhrkg run dhrd-perpetrator-demographics
// notes: >
//   The DHRD has an age band '20-34' for some perpetrators, besides '20-24' and '25-34'; it is
//   shown as recorded.
MATCH (p:Person {dataset: 'dhrd'})-[:SUBJECT_OF {role: 'perpetrator'}]->(r:Review)
WHERE $region IS NULL OR r.region = $region
WITH collect(p) AS perpetrators, count(p) AS total
WHERE total > 0
UNWIND perpetrators AS p
UNWIND [['age band', coalesce(p.age_band, 'Unknown')],
        ['sex', p.sex],
        ['ethnicity', coalesce(p.ethnicity, 'Unknown')],
        ['sexual orientation', coalesce(p.sexual_orientation, 'Unknown')],
        ['court verdict', coalesce(p.court_verdict, 'Unknown')],
        ['previous offences', CASE WHEN p.previous_offences THEN 'yes' ELSE 'no' END],
        ['carer responsibilities', CASE WHEN p.carer_responsibilities THEN 'yes' ELSE 'no' END],
        ['carer for victim', CASE WHEN p.carer_for_victim THEN 'yes' ELSE 'no' END],
        ['mental health issues', CASE WHEN p.mental_health_issues THEN 'yes' ELSE 'no' END]]
       + [m IN coalesce(p.mental_health, []) | ['mental health', m]]
       + [x IN coalesce(p.vulnerabilities, []) | ['vulnerability', x]] AS kv
WITH kv[0] AS characteristic, kv[1] AS value, total, count(*) AS n
RETURN characteristic, value, n AS perpetrators, total AS of, round(1000.0 * n / total) / 10.0 AS percent
ORDER BY characteristic, perpetrators DESC, value

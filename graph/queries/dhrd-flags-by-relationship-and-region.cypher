// name: dhrd-flags-by-relationship-and-region
// title: DHRD case flags by the victim's relationship to the perpetrator and by region
// category: national data (DHRD)
// scope: national
// question: >
//   How often were separation, stalking (or any other case flags) recorded, broken down by
//   the victim's relationship to the perpetrator (partner, ex-partner, parent, child, ...) and
//   by region? (A cross-tabulation the DHRD Corpus Explorer cannot do.)
// parameters:
//   flags:
//     type: list
//     of: string
//     default: [separation, stalking]
//     description: the case flags to count
//     choices: [intimate_partner_violence, familial_homicide, parricide, homicide_suicide, children_present,
//               coercive_control, economic_abuse, faith_based_marriage, forced_marriage, honour_based_violence,
//               physical_abuse, emotional_abuse, separation, sexual_abuse, stalking]
//   by_region: {type: boolean, default: true, description: one row per region (false - England and Wales as a whole)}
// period: >
//   Not a chronology: one record per review of the national dataset (DHRD), whatever its year of
//   death.
// columns:
//   region: region of the review ('England and Wales' when by_region is false)
//   relationship: the victim's relationship to the perpetrator, read from the relationship between them in the graph (partner, ex-partner, parent of the perpetrator, child of the perpetrator, sibling, other relative, non-relative, unknown)
//   flag: the case flag
//   flagged: reviews in this region and relationship with the flag
//   reviews: reviews in this region and relationship
//   percent: flagged / reviews, in per cent (one decimal)
// example: dhrkg run dhrd-flags-by-relationship-and-region --param flags=separation,stalking,coercive_control
// notes: >
//   Single-victim incidents only: the DHRD records the relationship for those alone. 'unknown'
//   is a victim whose relationship to the perpetrator the metadata does not give.
MATCH (v:Person {dataset: 'dhrd'})-[:SUBJECT_OF {role: 'victim'}]->(r:Review)<-[:SUBJECT_OF {role: 'perpetrator'}]-(p:Person)
WHERE v <> p
WITH r,
     head([(v)-[x:PARTNER_OF|PARENT_OF|SIBLING_OF|RELATIVE_OF|ASSOCIATE_OF]->(p) | x]) AS from_victim,
     head([(p)-[y:PARENT_OF]->(v) | y]) AS from_perpetrator
WITH r, CASE
          WHEN from_perpetrator IS NOT NULL THEN 'child of the perpetrator'
          WHEN from_victim IS NULL THEN 'unknown'
          WHEN type(from_victim) = 'PARTNER_OF' AND from_victim.status = 'former' THEN 'ex-partner'
          WHEN type(from_victim) = 'PARTNER_OF' THEN 'partner'
          WHEN type(from_victim) = 'PARENT_OF' THEN 'parent of the perpetrator'
          WHEN type(from_victim) = 'SIBLING_OF' THEN 'sibling'
          WHEN type(from_victim) = 'RELATIVE_OF' THEN 'other relative'
          ELSE 'non-relative'
        END AS relationship
WITH CASE WHEN $by_region THEN r.region ELSE 'England and Wales' END AS region, relationship,
     collect(coalesce(r.flags, [])) AS flag_lists
UNWIND $flags AS flag
WITH region, relationship, flag, size(flag_lists) AS reviews, size([fl IN flag_lists WHERE flag IN fl]) AS flagged
RETURN region, relationship, flag, flagged, reviews, round(1000.0 * flagged / reviews) / 10.0 AS percent
ORDER BY region, relationship, flag

// name: dhrd-reviews-by-region
// title: DHRD reviews by region (the Corpus Explorer's map)
// category: national data (DHRD)
// scope: national
// question: >
//   How many of the published Domestic Homicide Reviews in the national dataset (DHRD) come
//   from each region of England and Wales, from how many Community Safety Partnerships, and
//   over which years of death?
// period: >
//   Not a chronology: one record per review of the national dataset (DHRD), whatever its year of
//   death.
// columns:
//   region: region of the Community Safety Partnership, as the DHRD records it
//   reviews: DHRD reviews (incidents) in the region
//   percent: share of all DHRD reviews, in per cent (one decimal)
//   csps: Community Safety Partnerships in the region with a review
//   earliest_death: first day the earliest death in the region can mean
//   latest_death: last day the latest death in the region can mean
// example: dhrkg run dhrd-reviews-by-region
// notes: >
//   Load the dataset first with `dhrkg import-dhrd`. Source: Cook and Cook (2026), The Domestic
//   Homicide Review Dataset (DHRD) for England and Wales, CC BY 4.0 (the Source node `dataset:dhrd`).
MATCH (r:Review {dataset: 'dhrd'})-[:LOCATED_IN]->(a:Area {kind: 'region'})
WITH a.name AS region, count(r) AS reviews, count(DISTINCT r.commissioned_by) AS csps,
     min(r.homicide_date_from) AS earliest_death, max(r.homicide_date_to) AS latest_death
WITH collect([region, reviews, csps, earliest_death, latest_death]) AS rows, toInteger(sum(reviews)) AS total
WHERE total > 0
UNWIND rows AS row
RETURN row[0] AS region, row[1] AS reviews, round(1000.0 * row[1] / total) / 10.0 AS percent,
       row[2] AS csps, row[3] AS earliest_death, row[4] AS latest_death
ORDER BY reviews DESC, region

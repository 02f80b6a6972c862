// name: dhrd-case-characteristics
// title: DHRD case characteristics (the Corpus Explorer's case view)
// category: national data (DHRD)
// scope: national
// question: >
//   In how many of the reviews in the national dataset (DHRD) did the Home Office metadata flag
//   each case characteristic (intimate partner violence, coercive control, separation,
//   stalking, ...), and what were the causes and locations of death?
// parameters:
//   region: {type: string, default: null, description: only this region (e.g. Wales); all when unset}
// period: >
//   Not a chronology: one record per review of the national dataset (DHRD), whatever its year of
//   death.
// columns:
//   group: flag (a case characteristic), cause of death, location of death, or victims (one or several)
//   characteristic: the flag or value
//   reviews: reviews with it
//   of: reviews considered (all DHRD reviews, or those of the region)
//   percent: reviews / of, in per cent (one decimal)
// example: dhrkg run dhrd-case-characteristics
// notes: >
//   A flag not set means the metadata did not indicate it, not that it was absent (DHRD codebook).
//   An unknown cause or location of death is counted as 'unknown'.
MATCH (r:Review {dataset: 'dhrd'})
WHERE $region IS NULL OR r.region = $region
WITH count(r) AS total, collect(r.flags) AS flag_lists
WHERE total > 0
UNWIND ['intimate_partner_violence', 'familial_homicide', 'parricide', 'homicide_suicide', 'children_present',
        'coercive_control', 'economic_abuse', 'faith_based_marriage', 'forced_marriage', 'honour_based_violence',
        'physical_abuse', 'emotional_abuse', 'separation', 'sexual_abuse', 'stalking'] AS flag
WITH flag, total, size([fl IN flag_lists WHERE flag IN fl]) AS n
RETURN 'flag' AS group, flag AS characteristic, n AS reviews, total AS of, round(1000.0 * n / total) / 10.0 AS percent
ORDER BY reviews DESC, characteristic
UNION ALL
MATCH (r:Review {dataset: 'dhrd'})
WHERE $region IS NULL OR r.region = $region
WITH collect(r) AS all_reviews, count(r) AS total
WHERE total > 0
UNWIND all_reviews AS r
UNWIND [['cause of death', coalesce(r.cause_of_death, 'unknown')],
        ['location of death', coalesce(r.location_of_death, 'unknown')],
        ['victims', CASE WHEN r.multiple_victims THEN 'more than one' ELSE 'one' END]] AS kv
WITH kv[0] AS group, kv[1] AS characteristic, total, count(*) AS n
RETURN group, characteristic, n AS reviews, total AS of, round(1000.0 * n / total) / 10.0 AS percent
ORDER BY group, reviews DESC, characteristic

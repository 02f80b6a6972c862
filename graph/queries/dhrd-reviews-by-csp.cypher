// name: dhrd-reviews-by-csp
// title: DHRD reviews by Community Safety Partnership, and the case files from the same CSP
// category: national data (DHRD)
// scope: national
// question: >
//   Which Community Safety Partnerships commissioned the reviews in the national dataset (DHRD),
//   how many each, in which police force area, and which of the case files loaded in the graph
//   were commissioned by the same partnership?
// parameters:
//   region: {type: string, default: null, description: only this region (e.g. West Midlands); all when unset}
// period: >
//   Not a chronology: one record per review of the national dataset (DHRD), whatever its year of
//   death.
// columns:
//   region: region of the CSP
//   csp: the Community Safety Partnership as the DHRD names it
//   police_force_area: force area of the CSP (derived from its name by dhrkg.places; empty when the name is not one place)
//   reviews: DHRD reviews the CSP commissioned
//   earliest_death: first day the earliest death can mean
//   latest_death: last day the latest death can mean
//   case_files: ids of case-file reviews (not DHRD) commissioned by the same CSP
// example: dhrkg run dhrd-reviews-by-csp --param region='West Midlands'
// notes: >
//   A case file names its CSP in full ("Stafford Community Safety Partnership"); the DHRD by its
//   place ("Stafford"); both are the Area "csp:Stafford Community Safety Partnership".
MATCH (r:Review {dataset: 'dhrd'})-[:COMMISSIONED_BY]->(c:Area {kind: 'csp'})
WHERE $region IS NULL OR r.region = $region
WITH c, r.region AS region, r.commissioned_by AS csp, count(r) AS reviews,
     min(r.homicide_date_from) AS earliest_death, max(r.homicide_date_to) AS latest_death,
     collect(DISTINCT r.police_force_area) AS forces
RETURN region, csp, head(forces) AS police_force_area, reviews, earliest_death, latest_death,
       [(c)<-[:COMMISSIONED_BY]-(o:Review) WHERE o.dataset IS NULL | o.id] AS case_files
ORDER BY reviews DESC, csp

// name: referrals-not-actioned
// title: Referrals with no sign that the receiving agency acted
// category: missed links
// scope: national
// question: >
//   Which referrals to another agency were followed by no event recorded by that agency about
//   the same people within N days (the referral may never have arrived or been acted on)?
// parameters:
//   days: {type: integer, default: 28, description: how many days the receiving agency had to act}
//   review: {type: review, required: false, description: only this review (default all)}
//   before: {type: date, required: false, description: 'count only events before this date, by the rule of the period (default: the homicide of each review)'}
// period: >
//   Before the homicide: referrals, and the receiving agency's actions, dated before the first day
//   of the homicide of their review (its homicide date, its homicide event or the death of one of
//   its victims, whichever is earliest; an event whose partial date spans it counts unless it is a
//   step that follows a homicide: arrest, charge, court, conviction, sentence, custody, the
//   review's own steps); acting after the death is not acting on the referral. --param before=DATE
//   moves the bound. A review with none of these dates is not bounded: every event counts.
// columns:
//   review: review id
//   referral: id of the referral event
//   date: its date
//   from_agency: agency that referred
//   to_agency: agency referred to
//   persons: people the referral was about (keys)
//   next_action: the receiving agency's first later event about them, if any (id, date, type, source)
//   source: paragraph refs of the referral
// example: dhrkg run referrals-not-actioned --param days=28
// notes: >
//   The receiving agency's events count when they involve one of the referred people and their
//   date range overlaps the referral date to N days after it.
MATCH (ref:Event {shares: true})-[:REFERRED_TO]->(to:Agency)
WHERE $review IS NULL OR ref.review = $review
MATCH (r:Review {key: ref.review})
WITH ref, to, coalesce($before_from, reduce(b = r.homicide_date_from, h IN [(r)<-[:PART_OF]-(hx:Event) WHERE hx.type = 'homicide' | hx.date_from] + [(r)<-[:SUBJECT_OF {role: 'victim'}]-(vx:Person) WHERE vx.died_from IS NOT NULL | vx.died_from] | CASE WHEN b IS NULL OR h < b THEN h ELSE b END), '9999-12-31') AS bound
WHERE (ref.date_to < bound OR (ref.date_from < bound AND NOT ref.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process']))
WITH ref, to, bound, toString(date(ref.date_to) + duration({days: $days})) AS until
WITH ref, to, until,
     [(ref)<-[:INVOLVED]-(:Person)-[:INVOLVED]->(f:Event)-[:RECORDED_BY]->(to)
        WHERE f <> ref AND f.date_to >= ref.date_from AND (f.date_to < bound OR (f.date_from < bound AND NOT f.type IN ['homicide', 'arrest', 'charge', 'court', 'conviction', 'sentence', 'custody', 'review_process'])) | f] AS later
WHERE NONE(f IN later WHERE f.date_from <= until)
WITH ref, to, reduce(acc = [], f IN later |
       [g IN acc WHERE g.date_from + g.key < f.date_from + f.key] + [f] + [g IN acc WHERE g.date_from + g.key >= f.date_from + f.key]) AS sorted_later
WITH ref, to, head(sorted_later) AS nxt
RETURN ref.review AS review,
       ref.id AS referral,
       ref.date AS date,
       head([(ref)-[:RECORDED_BY]->(fa:Agency) | fa.name]) AS from_agency,
       to.name AS to_agency,
       reduce(acc = [], k IN [(ref)<-[:INVOLVED]-(p:Person) | p.key] |
              [y IN acc WHERE y < k] + [k] + [y IN acc WHERE y >= k]) AS persons,
       CASE WHEN nxt IS NULL THEN NULL ELSE {id: nxt.id, date: nxt.date, type: nxt.type, source: nxt.source} END AS next_action,
       ref.source AS source
ORDER BY review, ref.date_from, referral

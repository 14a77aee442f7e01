-- Which reminders improve completion: appointments that happened or were missed, by whether and
-- on which channel a reminder was delivered for them.
CREATE TABLE appointment AS
  SELECT * FROM read_json('export/Appointment.ndjson', format = 'newline_delimited', union_by_name = true);
CREATE TABLE communication AS
  SELECT * FROM read_json('export/Communication.ndjson', format = 'newline_delimited', union_by_name = true);

WITH delivered_reminder AS (
  SELECT DISTINCT
    replace(subject_of.reference, 'Appointment/', '') AS appointment_id,
    c.medium[1].coding[1].code AS channel
  FROM communication c, unnest(c.about) AS t(subject_of)
  WHERE c.basedOn IS NOT NULL               -- an outreach attempt, not a reply
    AND c.status = 'completed'              -- delivered
    AND subject_of.reference LIKE 'Appointment/%'
)
SELECT
  coalesce(r.channel, 'no reminder') AS reminder,
  count(*) AS appointments,
  round(avg(CASE WHEN a.status = 'fulfilled' THEN 1 ELSE 0 END), 3) AS completed,
  round(avg(CASE WHEN a.status = 'noshow' THEN 1 ELSE 0 END), 3) AS no_show
FROM appointment a
LEFT JOIN delivered_reminder r ON r.appointment_id = a.id
WHERE a.status IN ('fulfilled', 'noshow')
GROUP BY 1
ORDER BY completed DESC;

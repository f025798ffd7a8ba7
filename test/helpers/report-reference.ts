/**
 * The owner's reports computed straight from the rows, as they were before the per-day sums of
 * migration 0026 (reading every bill's lines and every note's diagnoses as JSON): the reference the
 * fast statements in electron/services/reports must agree with, figure for figure.
 */

export const BILLED_BY_SERVICE_SQL = `
  SELECT json_extract(l.value, '$.kind') AS kind, count(*) AS lines, sum(json_extract(l.value, '$.totalPaise')) AS paise
  FROM invoices i, json_each(i.lines) l
  WHERE i.issued_on BETWEEN @from AND @to AND i.status = 'issued' AND i.deleted_at IS NULL
  GROUP BY kind`;

export const BILLED_BY_DOCTOR_SQL = `
  SELECT doctor_id AS doctorId, count(*) AS invoices,
         sum(json_extract(totals, '$.totalPaise')) AS paise,
         sum(json_extract(totals, '$.roundOffPaise')) AS roundOffPaise
  FROM invoices
  WHERE issued_on BETWEEN @from AND @to AND status = 'issued' AND deleted_at IS NULL
  GROUP BY doctor_id`;

export const DISCOUNTS_SQL = `
  SELECT doctor_id AS doctorId, count(*) AS invoices,
         sum(json_extract(totals, '$.lineDiscountPaise') + json_extract(totals, '$.invoiceDiscountPaise') > 0) AS discounted,
         sum(json_extract(totals, '$.lineDiscountPaise')) AS linePaise,
         sum(json_extract(totals, '$.invoiceDiscountPaise')) AS billPaise
  FROM invoices
  WHERE issued_on BETWEEN @from AND @to AND status = 'issued' AND deleted_at IS NULL
  GROUP BY doctor_id`;

export const DIAGNOSES_SQL = `
  SELECT x.code, count(DISTINCT x.consultation) AS consultations,
         coalesce((SELECT title FROM icd10_codes WHERE code = x.code), min(x.title)) AS title
  FROM (
    SELECT c.id AS consultation, upper(trim(json_extract(d.value, '$.code'))) AS code, json_extract(d.value, '$.title') AS title
    FROM visits v
    CROSS JOIN consultations c ON c.visit_id = v.id AND c.deleted_at IS NULL AND c.status = 'completed',
         json_each(c.note, '$.diagnoses') d
    WHERE v.date BETWEEN @from AND @to AND v.deleted_at IS NULL
  ) x
  WHERE x.code IS NOT NULL AND x.code <> ''
  GROUP BY x.code
  ORDER BY consultations DESC, x.code
  LIMIT @limit`;

export const UNCODED_SQL = `
  SELECT count(DISTINCT c.id) AS consultations, count(*) AS diagnoses
  FROM visits v
  CROSS JOIN consultations c ON c.visit_id = v.id AND c.deleted_at IS NULL AND c.status = 'completed',
       json_each(c.note, '$.diagnoses') d
  WHERE v.date BETWEEN @from AND @to AND v.deleted_at IS NULL
    AND coalesce(trim(json_extract(d.value, '$.code')), '') = ''`;

export const FOLLOW_UPS_SQL = `
  SELECT doctorId,
         sum(kept) AS kept,
         sum(NOT kept AND windowEnd < @today) AS missed,
         sum(NOT kept AND windowEnd >= @today) AS pending
  FROM (
    SELECT a.doctor_id AS doctorId, date(a.follow_up_date, '+' || @windowDays || ' days') AS windowEnd,
           EXISTS (
             SELECT 1 FROM visits b
             WHERE b.patient_id = a.patient_id AND b.date > a.date
               AND b.date <= date(a.follow_up_date, '+' || @windowDays || ' days')
               AND b.deleted_at IS NULL AND b.status <> 'left'
           ) AS kept
    FROM visits a
    WHERE a.follow_up_date BETWEEN @from AND @to AND a.deleted_at IS NULL AND a.status <> 'left'
  )
  GROUP BY doctorId`;

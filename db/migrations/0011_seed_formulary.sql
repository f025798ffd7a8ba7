-- Starter formulary: filled in below.
SELECT 1;

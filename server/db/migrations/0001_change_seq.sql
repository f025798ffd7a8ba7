-- The server cursor: one sequence, taken under a per-clinic advisory lock (see server/store.ts).
CREATE SEQUENCE IF NOT EXISTS change_seq;

-- The quickstart's "core banking" system of record: accounts, their debit orders (some returned
-- unpaid) and the payment arrangements collections agree with customers. tools/quickstart.sh
-- creates a fresh SQLite database from this file on every run.
CREATE TABLE accounts (
  account_id    TEXT PRIMARY KEY,
  holder        TEXT NOT NULL,
  balance_cents INTEGER NOT NULL
);

CREATE TABLE debit_orders (
  order_id    INTEGER PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts (account_id),
  amount      TEXT NOT NULL,          -- decimal text, never a float
  currency    TEXT NOT NULL,
  due_date    TEXT NOT NULL,          -- YYYY-MM-DD
  status      TEXT NOT NULL CHECK (status IN ('paid', 'returned')),
  return_code TEXT,                   -- the bank's unpaid code when returned
  returned_at TEXT                    -- RFC 3339 when returned
);

CREATE TABLE arrangements (
  arrangement_id INTEGER PRIMARY KEY,
  account_id     TEXT NOT NULL REFERENCES accounts (account_id),
  kind           TEXT NOT NULL,       -- PTP: promise to pay
  amount         TEXT NOT NULL,
  currency       TEXT NOT NULL,
  promised_date  TEXT NOT NULL,
  trigger_id     TEXT,                -- the payment.failed trigger that started the case
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

INSERT INTO accounts VALUES
  ('4000123456', 'T. Mokoena',   125000),
  ('4000123457', 'A. Naidoo',     -4500),
  ('4000123458', 'J. van Wyk',    88000),
  ('4000123459', 'S. Dlamini',        0),
  ('4000123460', 'R. Pillay',     15000),
  ('4000123461', 'M. Botha',      -1200),
  ('4000123462', 'L. Khumalo',    30000),
  ('4000123463', 'P. Smith',       7000);

INSERT INTO debit_orders VALUES
  (1001, '4000123456', '1500.00', 'ZAR', '2026-11-01', 'paid',     NULL, NULL),
  (1002, '4000123457', '899.00',  'ZAR', '2026-11-01', 'returned', '04', '2026-11-03T07:12:00Z'),
  (1003, '4000123458', '2450.50', 'ZAR', '2026-11-01', 'paid',     NULL, NULL),
  (1004, '4000123459', '310.00',  'ZAR', '2026-11-02', 'returned', '04', '2026-11-04T07:15:00Z'),
  (1005, '4000123460', '1200.00', 'ZAR', '2026-11-02', 'returned', '08', '2026-11-04T07:16:30Z'),
  (1006, '4000123461', '640.75',  'ZAR', '2026-11-03', 'returned', '30', '2026-11-05T07:01:00Z'),
  (1007, '4000123462', '1999.99', 'ZAR', '2026-11-03', 'paid',     NULL, NULL),
  (1008, '4000123463', '450.00',  'ZAR', '2026-11-04', 'returned', '02', '2026-11-06T07:22:10Z'),
  (1009, '4000123457', '899.00',  'ZAR', '2026-11-15', 'returned', '04', '2026-11-17T07:10:00Z'),
  (1010, '4000123456', '1500.00', 'ZAR', '2026-11-15', 'paid',     NULL, NULL);

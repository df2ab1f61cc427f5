-- Issue 11: the search's decisions. Successive halving compares the candidates at rungs and halts the weaker ones;
-- each candidate keeps what was decided about it at each rung (rung, epoch, value, promoted, reason), in order.
alter table training_candidates add column rungs jsonb not null default '[]'::jsonb;

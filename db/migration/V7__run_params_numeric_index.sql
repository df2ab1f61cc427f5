-- Issue 6: filters that compare a param with a number (params.learningRate = 0.001) read its value as numeric
-- where it is a number. Without this index PostgreSQL evaluates that reading for every row of the key; with it the
-- comparison is an index range scan. The expression must stay the same, to the letter, as FilterSql.NUMERIC
-- applied to the column "value" (FilterSqlPlanTest checks that the planner uses this index).
create index run_params_key_numeric_idx on run_params (key, (case when length(value) <= 100
    and value ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$' then value::numeric end));

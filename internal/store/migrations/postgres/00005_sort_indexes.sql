-- +goose Up
-- the companies list sorted by city (ORDER BY COALESCE(a.city_norm, ''), a.id), alone and within one stage:
-- without them every matching company is read and sorted for each page
CREATE INDEX accounts_city_sort ON accounts ((COALESCE(city_norm, '')), id);
CREATE INDEX accounts_stage_city_sort ON accounts (stage, (COALESCE(city_norm, '')), id);

-- +goose Down
DROP INDEX accounts_stage_city_sort;
DROP INDEX accounts_city_sort;

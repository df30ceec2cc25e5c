-- Population and jobs within ¼ and ½ mile of any served stop and of frequent stops, for the
-- whole region and split by the zones' equity flag (equity_area vs other zones).
-- grain: population_group, buffer_miles, stop_set
-- inputs: transit_zone_coverage
-- reference: research/transit.md §2b "Coverage", "Equity splits"
with zones as (
    select *, case when equity_area then 'equity_area' else 'other' end as grp from transit_zone_coverage
),

grouped as (
    select 'all' as population_group, * from zones
    union all
    select grp as population_group, * from zones where equity_area is not null
),

variants as (
    select * from (values
        (0.25, 'any'), (0.5, 'any'), (0.25, 'frequent'), (0.5, 'frequent')
    ) as v(buffer_miles, stop_set)
),

final as (
    select
        g.population_group, v.buffer_miles, v.stop_set,
        sum(g.population) as population,
        sum(g.population) filter (where case
            when v.stop_set = 'any' and v.buffer_miles = 0.25 then g.stop_within_quarter_mile
            when v.stop_set = 'any' then g.stop_within_half_mile
            when v.buffer_miles = 0.25 then g.frequent_within_quarter_mile
            else g.frequent_within_half_mile end) as population_covered,
        sum(g.jobs) as jobs,
        sum(g.jobs) filter (where case
            when v.stop_set = 'any' and v.buffer_miles = 0.25 then g.stop_within_quarter_mile
            when v.stop_set = 'any' then g.stop_within_half_mile
            when v.buffer_miles = 0.25 then g.frequent_within_quarter_mile
            else g.frequent_within_half_mile end) as jobs_covered
    from grouped as g
    cross join variants as v
    group by all
)

select *,
    round(coalesce(population_covered, 0) / nullif(population, 0), 4) as population_share,
    round(coalesce(jobs_covered, 0) / nullif(jobs, 0), 4) as jobs_share
from final

-- Regional accessibility: the population-weighted average of opportunities reachable, for all
-- zones and split by the zones' equity flag (equity_area vs other), per percentile and cutoff.
-- grain: population_group, percentile, cutoff_min
-- inputs: transit_accessibility
-- reference: research/transit.md §2b "Equity splits"
with zones as (
    select *, case when equity_area then 'equity_area' else 'other' end as grp from transit_accessibility
),

grouped as (
    select 'all' as population_group, * from zones
    union all
    select grp as population_group, * from zones where equity_area is not null
),

final as (
    select
        population_group, percentile, cutoff_min,
        count(*) as zones,
        sum(population) as population,
        round(sum(opportunities * population) / nullif(sum(population), 0), 1) as weighted_avg_opportunities,
        round(sum(share_of_region * population) / nullif(sum(population), 0), 6) as weighted_avg_share_of_region
    from grouped
    group by all
)

select * from final

-- FTA TAM state-of-good-repair measures per agency, year, category and class: share of revenue
-- vehicles and of service vehicles at or past their useful life benchmark (age = report year −
-- model year ≥ ULB; the row's own ULB, else FTA's default for the vehicle type, and how many
-- units used the default), share of facilities rated below 3.0 on the TERM scale, share of track
-- miles under performance restriction; against the target when one is given.
-- grain: agency, report_year, asset_category, asset_class
-- inputs: int_tam__inventory_ulb
-- reference: 49 CFR 625 (TAM performance measures); research/transit.md §5; data/transit/README.md
with inventory as (
    select * from int_tam__inventory_ulb
),

scored as (
    select *,
        coalesce(quantity, 1) as units,
        case
            when asset_category in ('rolling_stock', 'equipment') then report_year - model_year >= ulb_years
            when asset_category = 'facility' then term_rating < 3.0
        end as not_in_sgr
    from inventory
),

final as (
    select
        agency, report_year, asset_category, coalesce(asset_class, '') as asset_class,
        case asset_category
            when 'rolling_stock' then 'revenue vehicles at or past ULB'
            when 'equipment' then 'service vehicles at or past ULB'
            when 'facility' then 'facilities rated below 3.0 TERM'
            else 'track miles under performance restriction'
        end as measure,
        case when asset_category = 'infrastructure' then sum(track_miles) else sum(units) end as total,
        case when asset_category = 'infrastructure' then sum(restricted_miles) else sum(units) filter (where not_in_sgr) end as not_in_sgr,
        -- a vehicle without model year or ULB cannot be scored, so the class share is unknown
        case when bool_or(asset_category in ('rolling_stock', 'equipment') and not_in_sgr is null) then null else
        round(100 * coalesce(case when asset_category = 'infrastructure' then sum(restricted_miles) else sum(units) filter (where not_in_sgr) end, 0)
            / nullif(case when asset_category = 'infrastructure' then sum(track_miles) else sum(units) end, 0), 1) end as pct,
        case when asset_category in ('rolling_stock', 'equipment')
            then coalesce(sum(units) filter (where ulb_source = 'fta_default'), 0) end as units_fta_default_ulb,
        max(target_pct) as target_pct
    from scored
    group by agency, report_year, asset_category, coalesce(asset_class, '')
)

select *, case when target_pct is not null then pct <= target_pct end as target_met from final

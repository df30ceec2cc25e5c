-- The TAM inventory with each vehicle row's useful life benchmark resolved: the agency's own
-- ulb_years when the row has one, else FTA's default ULB for the NTD vehicle type code (revenue
-- vehicles only), with ulb_source saying which ('agency', 'fta_default', or null when neither).
-- grain: none
-- inputs: tam_inventory, tam_default_ulb
-- reference: 49 CFR 625.5 (ULB: set by the provider, or FTA's default); FTA Default ULB Cheat Sheet (data/transit/README.md)
with inventory as (
    select * from tam_inventory
),

defaults as (
    select upper(trim(vehicle_type_code)) as code, default_ulb_years from tam_default_ulb
),

resolved as (
    select
        inventory.* exclude (ulb_years),
        -- an agency may adjust its ULB (cheat sheet: "with approval from FTA"), so its own value wins
        coalesce(inventory.ulb_years, defaults.default_ulb_years) as ulb_years,
        case
            when inventory.ulb_years is not null then 'agency'
            when defaults.default_ulb_years is not null then 'fta_default'
        end as ulb_source
    from inventory
    -- the cheat sheet covers revenue vehicles; service-vehicle (equipment) defaults were not verified
    left join defaults
        on inventory.asset_category = 'rolling_stock'
        and upper(trim(inventory.asset_class)) = defaults.code
),

final as (
    select * from resolved
)

select * from final

-- The TMCs with the most delay (top 50), ranked, with what makes them bottlenecks.
-- grain: tmc_code
-- inputs: cmp_tmc
-- params: none
-- reference: CMP practice (23 CFR 450.322); ranking by annual vehicle-hours of delay
with ranked as (
    select * from cmp_tmc where delay_vehicle_hours > 0
),

final as (
    select
        delay_rank as rank,
        tmc_code,
        road,
        direction,
        county,
        miles,
        delay_vehicle_hours,
        round(delay_vehicle_hours / nullif(miles, 0), 1) as delay_per_mile,
        congested_hours,
        tti,
        pti,
        buffer_index
    from ranked
    where delay_rank <= 50
)

select * from final

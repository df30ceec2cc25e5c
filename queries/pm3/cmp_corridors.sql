-- Congestion per corridor (road and direction): length-weighted TTI and PTI, total delay and congested miles.
-- grain: road, direction
-- inputs: cmp_tmc
-- params: none
-- reference: CMP practice (23 CFR 450.322)
with tmc as (
    select * from cmp_tmc where road is not null and direction is not null
),

final as (
    select
        road,
        direction,
        count(*) as tmcs,
        round(sum(miles), 3) as miles,
        round(sum(miles * tti) / nullif(sum(miles) filter (where tti is not null), 0), 2) as tti,
        round(sum(miles * pti) / nullif(sum(miles) filter (where pti is not null), 0), 2) as pti,
        round(sum(delay_vehicle_hours), 1) as delay_vehicle_hours,
        round(sum(congested_hours * miles) / nullif(sum(miles), 0), 2) as congested_hours_length_weighted,
        min(delay_rank) as worst_tmc_rank
    from tmc
    group by road, direction
)

select * from final

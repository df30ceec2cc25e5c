-- Monthly congestion trend for the whole region: delay, congested hours and length-weighted peak TTI.
-- grain: month
-- inputs: cmp_tmc_monthly, stg_npmrds__tmc
-- params: none
-- reference: CMP practice (23 CFR 450.322)
with monthly as (
    select m.*, t.miles from cmp_tmc_monthly as m join stg_npmrds__tmc as t using (tmc_code)
),

final as (
    select
        month,
        count(*) as tmcs,
        round(sum(delay_vehicle_hours), 1) as delay_vehicle_hours,
        round(sum(congested_hours), 2) as congested_hours,
        round(sum(peak_tti * miles) / nullif(sum(miles) filter (where peak_tti is not null), 0), 2) as peak_tti
    from monthly
    group by month
)

select * from final

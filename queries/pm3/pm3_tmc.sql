-- PM3 metrics per TMC: LOTTR by period, TTTR by period, PHED, and the weights the measures use.
-- grain: tmc_code
-- inputs: stg_npmrds__tmc, pm3_tmc_periods, pm3_tmc_phed, pm3_avo_factors
-- params: none
-- reference: 23 CFR 490.511, 490.513, 490.611, 490.613, 490.711; FHWA-HIF-18-040 ch. 2
with tmc as (
    select * from stg_npmrds__tmc
),

periods as (
    select
        tmc_code,
        max(lottr) filter (where period = 'AMP') as lottr_amp,
        max(lottr) filter (where period = 'MIDD') as lottr_midd,
        max(lottr) filter (where period = 'PMP') as lottr_pmp,
        max(lottr) filter (where period = 'WE') as lottr_we,
        max(tt_p50) filter (where period = 'AMP') as tt_amp50pct,
        max(tt_p80) filter (where period = 'AMP') as tt_amp80pct,
        max(tt_p50) filter (where period = 'MIDD') as tt_midd50pct,
        max(tt_p80) filter (where period = 'MIDD') as tt_midd80pct,
        max(tt_p50) filter (where period = 'PMP') as tt_pmp50pct,
        max(tt_p80) filter (where period = 'PMP') as tt_pmp80pct,
        max(tt_p50) filter (where period = 'WE') as tt_we50pct,
        max(tt_p80) filter (where period = 'WE') as tt_we80pct,
        max(tttr) filter (where period = 'AMP') as tttr_amp,
        max(tttr) filter (where period = 'MIDD') as tttr_midd,
        max(tttr) filter (where period = 'PMP') as tttr_pmp,
        max(tttr) filter (where period = 'WE') as tttr_we,
        max(tttr) filter (where period = 'OVN') as tttr_ovn,
        max(ttt_p50) filter (where period = 'AMP') as ttt_amp50pct,
        max(ttt_p95) filter (where period = 'AMP') as ttt_amp95pct,
        max(ttt_p50) filter (where period = 'MIDD') as ttt_midd50pct,
        max(ttt_p95) filter (where period = 'MIDD') as ttt_midd95pct,
        max(ttt_p50) filter (where period = 'PMP') as ttt_pmp50pct,
        max(ttt_p95) filter (where period = 'PMP') as ttt_pmp95pct,
        max(ttt_p50) filter (where period = 'WE') as ttt_we50pct,
        max(ttt_p95) filter (where period = 'WE') as ttt_we95pct,
        max(ttt_p50) filter (where period = 'OVN') as ttt_ovn50pct,
        max(ttt_p95) filter (where period = 'OVN') as ttt_ovn95pct,
        count(lottr) as lottr_periods,
        count(tttr) as tttr_periods,
        sum(n_epochs) as epochs,
        sum(n_truck_substituted) as truck_epochs_substituted
    from pm3_tmc_periods
    group by tmc_code
),

joined as (
    select
        t.tmc_code,
        t.road,
        t.direction,
        t.county,
        t.state,
        t.f_system,
        t.urban_code,
        t.faciltype,
        t.nhs,
        t.nhs_pct,
        t.isprimary,
        t.miles,
        t.segment_length,
        t.dir_aadt,
        t.nhs_system,
        t.excluded_reason,
        p.* exclude (tmc_code),
        ph.phed_person_hours,
        ph.phed_status,
        ph.speed_limit
    from tmc as t
    left join periods as p using (tmc_code)
    left join pm3_tmc_phed as ph using (tmc_code)
),

final as (
    select
        * exclude (lottr_periods, tttr_periods, epochs, truck_epochs_substituted, phed_person_hours, phed_status, speed_limit),
        coalesce(lottr_periods, 0) as lottr_periods,
        greatest(lottr_amp, lottr_midd, lottr_pmp, lottr_we) as lottr_max,
        -- Reliable when every period's LOTTR, to the hundredth, is below 1.50 (490.513(b)). A TMC
        -- missing a period is judged on the periods it has; lottr_periods says how many.
        case when coalesce(lottr_periods, 0) > 0 then greatest(lottr_amp, lottr_midd, lottr_pmp, lottr_we) < 1.50 end as is_reliable,
        coalesce(tttr_periods, 0) as tttr_periods,
        -- The largest of the five period TTTRs, each already to the hundredth (490.613(a))
        case when f_system = 1 then greatest(tttr_amp, tttr_midd, tttr_pmp, tttr_we, tttr_ovn) end as tttr_max,
        (select avo from pm3_avo_factors where vehicle_type = 'all_vehicles') as occupancy_factor,
        -- Annual volume = directional AADT x 365 (490.509(c)); person-miles = SL x AV x OF (490.513(b))
        dir_aadt * 365 as annual_volume,
        segment_length * dir_aadt * 365 * (select avo from pm3_avo_factors where vehicle_type = 'all_vehicles') as person_miles,
        phed_person_hours,
        phed_status,
        speed_limit,
        coalesce(epochs, 0) as epochs,
        coalesce(truck_epochs_substituted, 0) as truck_epochs_substituted
    from joined
)

select * from final

-- NTD monthly productivity per agency, mode and type of service: UPT per vehicle revenue hour and
-- mile, the same month a year earlier and the change, and the 12-month rolling UPT.
-- grain: ntd_id, mode, tos, month
-- inputs: ntd_monthly
-- reference: research/transit.md §4 (NTD monthly module; productivity UPT/VRH, UPT/VRM)
with monthly as (
    select * from ntd_monthly
),

with_history as (
    select m.*,
        p.upt as upt_prior_year,
        sum(m.upt) over (partition by m.ntd_id, m.mode, m.tos order by m.month range between interval 11 month preceding and current row) as upt_12_months,
        count(m.upt) over (partition by m.ntd_id, m.mode, m.tos order by m.month range between interval 11 month preceding and current row) as months_in_window
    from monthly as m
    left join monthly as p
        on p.ntd_id = m.ntd_id and p.mode = m.mode and p.tos = m.tos and p.month = m.month - interval 1 year
),

final as (
    select
        ntd_id, agency, mode, tos, month, upt, vrm, vrh, voms,
        round(upt / nullif(vrh, 0), 2) as upt_per_vrh,
        round(upt / nullif(vrm, 0), 3) as upt_per_vrm,
        upt_prior_year,
        round(100 * (upt - upt_prior_year) / nullif(upt_prior_year, 0), 1) as upt_change_pct,
        case when months_in_window = 12 then upt_12_months end as upt_12_months
    from with_history
)

select * from final

-- PTASP safety measures for the whole MPO region per modal group, year and measure: the agencies'
-- numerators and denominators summed, so the region's rate is a pooled rate (a large agency weighs
-- by its service), on the measure table's rate unit whatever unit an agency reported in.
-- grain: mode, year, measure
-- inputs: transit_ptasp_measures, nsp_measures
-- reference: 23 CFR 450.306(d)(2)(ii)-(iii) (MPO transit safety targets); 89 FR 25316 p. 25322 (rates over VRM)
with agency_rows as (
    select * from transit_ptasp_measures
),

measures as (
    select measure_id, multiplier, unit from nsp_measures
),

-- An MPO sets its transit safety targets for the region (23 CFR 450.306(d)(2)); a regional value
-- is the sum over the agencies that reported the measure. A rate only pools agencies that gave
-- both its count and its VRM, and the agencies left out are counted so a partial sum is visible.
pooled as (
    select
        agency_rows.mode, agency_rows.year, agency_rows.measure,
        any_value(agency_rows.title) as title,
        any_value(agency_rows.kind) as kind,
        any_value(agency_rows.srrp) as srrp,
        any_value(agency_rows.numerator_quantity) as numerator_quantity,
        any_value(agency_rows.denominator_quantity) as denominator_quantity,
        any_value(measures.multiplier) as multiplier,
        any_value(measures.unit) as measure_unit,
        count(*) as agencies,
        count(*) filter (
            where agency_rows.denominator_quantity is null
                or (agency_rows.numerator is not null and agency_rows.denominator is not null)
        ) as agencies_pooled,
        string_agg(agency_rows.agency, ', ' order by agency_rows.agency) as agency_list,
        sum(agency_rows.numerator) filter (
            where agency_rows.denominator_quantity is null or agency_rows.denominator is not null
        ) as numerator,
        sum(agency_rows.denominator) filter (where agency_rows.numerator is not null) as denominator
    from agency_rows
    inner join measures on measures.measure_id = agency_rows.measure
    group by agency_rows.mode, agency_rows.year, agency_rows.measure
),

-- a rate from only some of the agencies would read as the region's: it stays empty, with
-- agencies_pooled < agencies saying why
valued as (
    select *,
        agencies_pooled = agencies as complete,
        case
            when denominator_quantity is null then numerator
            when agencies_pooled < agencies then null
            else numerator / nullif(denominator, 0) * multiplier
        end as value
    from pooled
),

-- the same three-year window as the agencies' rolling values (49 CFR 673.11(a)(7)(iii)), pooled
rolling as (
    select *,
        count(*) over w as years_in_window,
        bool_and(complete) over w as complete_in_window,
        sum(numerator) over w as numerator_3yr,
        sum(denominator) over w as denominator_3yr
    from valued
    window w as (partition by mode, measure order by year range between 2 preceding and current row)
),

final as (
    select
        mode, year, measure, title, kind, srrp,
        agencies, agencies_pooled, agency_list,
        numerator_quantity, numerator, denominator_quantity, denominator, multiplier,
        round(value, 4) as value,
        case when kind = 'rate' then 'per ' || format('{:,}', multiplier::bigint) || ' VRM' else measure_unit end as unit,
        case
            when years_in_window < 3 then null
            when denominator_quantity is null then round(numerator_3yr / 3, 4)
            when not complete_in_window then null
            else round(numerator_3yr / nullif(denominator_3yr, 0) * multiplier, 4)
        end as rolling_3yr
    from rolling
)

select * from final

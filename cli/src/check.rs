//! `faultline check INPUT [--today YYYY-MM-DD] [--sla-days N]`: every cross-document link that does not
//! resolve, the RCA definition of done and the blameless-language hints of every postmortem, then statistics
//! across postmortems. Exits non-zero when a link is broken or a definition-of-done rule fails (hints never
//! fail the check), so a team can gate a review in CI.

use crate::rca_input;
use faultline_models::rca::actions::title_hint;
use faultline_models::rca::checks::{self, DEFAULT_SLA_DAYS};
use std::path::PathBuf;
use time::Date;

/// Arguments of `faultline check`.
#[derive(clap::Args)]
pub struct Args {
    /// The project (native JSON or a project file).
    input: PathBuf,
    /// The date overdue items are judged against (default: today, UTC).
    #[arg(long, value_parser = parse_date)]
    today: Option<Date>,
    /// Days an action item without a due date may stay open.
    #[arg(long, default_value_t = DEFAULT_SLA_DAYS)]
    sla_days: i64,
    /// Only this postmortem.
    #[arg(long)]
    id: Option<u32>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).map_err(|e| format!("\"{s}\" is not a YYYY-MM-DD date: {e}"))
}

/// Prints the findings; `Err` when a definition-of-done rule fails.
pub fn run(args: Args) -> Result<(), String> {
    let project = rca_input::load(&args.input)?;
    let today = args.today.unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let pms: Vec<_> = project.postmortems.iter().filter(|p| args.id.is_none_or(|id| p.id.0 == id)).collect();
    if let Some(id) = args.id.filter(|_| pms.is_empty()) {
        return Err(format!("{}: no postmortem with id {id}", args.input.display()));
    }
    let mut failures = 0;
    let dangling = project.dangling_references();
    for d in &dangling {
        println!("broken link: {d}");
    }
    failures += dangling.len();
    for pm in &pms {
        println!("Postmortem {} \"{}\" ({})", pm.id.0, pm.title, pm.status.name());
        for p in pm.problems() {
            println!("  problem: {p}");
        }
        let dod = checks::definition_of_done(&project, pm, today, args.sla_days);
        if dod.is_empty() {
            println!("  definition of done: met");
        } else {
            println!("  definition of done: {} failure(s)", dod.len());
            for f in &dod {
                println!("    FAIL {:?}: {}", f.rule, f.message);
            }
        }
        failures += dod.len();
        let hints = checks::blameless_hints(&project, pm, &[]);
        for h in &hints {
            println!("  blameless hint ({}): \"{}\". {}", h.field, h.phrase, h.suggestion);
        }
        for a in checks::actions_of(&project, pm.id) {
            if let Some(h) = title_hint(&a.title) {
                println!("  action-item hint: {h}");
            }
        }
    }
    if args.id.is_none() && !project.postmortems.is_empty() {
        println!("Across postmortems");
        let pareto = checks::cause_pareto(&project);
        for b in &pareto {
            println!("  recurring causes: {:<16} {:>3}  (cumulative {:.0}%)", b.category, b.count, b.cumulative * 100.0);
        }
        let c = checks::completion_within_sla(&project, today, args.sla_days);
        match c.rate {
            Some(r) => println!("  action items done within {} days: {}/{} ({:.0}%)", args.sla_days, c.within_sla, c.counted, r * 100.0),
            None => println!("  action items done within {} days: none due yet", args.sla_days),
        }
        for m in checks::times_by_month(&project) {
            let f = |x: Option<f64>| x.map(|v| format!("{v:.0} min")).unwrap_or_else(|| "—".into());
            println!("  {}: {} incident(s), MTTD {}, MTTR {}", m.month, m.incidents, f(m.mttd_minutes), f(m.mttr_minutes));
        }
    }
    if failures > 0 {
        Err(format!("{failures} failure(s): {} broken link(s), {} definition-of-done failure(s)", dangling.len(), failures - dangling.len()))
    } else {
        Ok(())
    }
}

//! Number formatting shared by every view, so a probability reads the same everywhere.

/// Formats `x` in scientific notation with 3 significant digits, the way reliability reports print
/// probabilities: `0.001` -> `"1.00e-3"`, `123456.0` -> `"1.23e5"`, `0.0` -> `"0"`.
///
/// Non-finite values get a readable word instead of a number: `"NaN"`, `"∞"`, `"-∞"`.
pub fn sci(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞".to_string() } else { "-∞".to_string() };
    }
    if x == 0.0 {
        return "0".to_string();
    }
    format!("{x:.2e}")
}

/// Formats a probability for display: [`sci`] of the value, prefixed with `p = ` as under fault-tree symbols.
pub fn probability(p: f64) -> String {
    format!("p = {}", sci(p))
}

/// Formats a standard error relative to its estimate, as a percentage with two significant digits:
/// `(1e-5, 2.3e-7)` -> `"2.3 %"`, `(9.9e-6, 7.4e-10)` -> `"0.0075 %"`, `(1.0, 0.5)` -> `"50 %"`. `None` when
/// there is nothing to say (an estimate of 0, or no error), or when either is not finite.
pub fn relative_error(estimate: f64, std_error: f64) -> Option<String> {
    if !(estimate > 0.0 && std_error > 0.0 && estimate.is_finite() && std_error.is_finite()) {
        return None;
    }
    let r = 100.0 * std_error / estimate;
    let decimals = (1.0 - r.log10().floor()).max(0.0) as usize;
    Some(format!("{r:.decimals$} %"))
}

/// Formats a count for a badge: exact up to 999, then `1k`, `12k`, ... (a badge must stay narrow).
pub fn badge_count(n: usize) -> String {
    if n < 1000 {
        n.to_string()
    } else {
        format!("{}k", n / 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sci_rounds_to_three_significant_digits() {
        assert_eq!(sci(0.001), "1.00e-3");
        assert_eq!(sci(1.23456e-7), "1.23e-7");
        assert_eq!(sci(9.996e-3), "1.00e-2");
        assert_eq!(sci(123456.0), "1.23e5");
        assert_eq!(sci(-2.5e-4), "-2.50e-4");
        assert_eq!(sci(1.0), "1.00e0");
    }

    #[test]
    fn sci_special_values() {
        assert_eq!(sci(0.0), "0");
        assert_eq!(sci(f64::NAN), "NaN");
        assert_eq!(sci(f64::INFINITY), "∞");
        assert_eq!(sci(f64::NEG_INFINITY), "-∞");
    }

    #[test]
    fn relative_errors_have_two_significant_digits() {
        assert_eq!(relative_error(1e-5, 2.3e-7).as_deref(), Some("2.3 %"));
        assert_eq!(relative_error(9.9e-6, 7.425e-10).as_deref(), Some("0.0075 %"));
        assert_eq!(relative_error(1.0, 0.5).as_deref(), Some("50 %"));
        assert_eq!(relative_error(0.01, 0.0123).as_deref(), Some("123 %"));
        assert_eq!(relative_error(0.0, 1e-3), None);
        assert_eq!(relative_error(1e-3, 0.0), None);
        assert_eq!(relative_error(f64::NAN, 1e-3), None);
    }

    #[test]
    fn probability_and_badges() {
        assert_eq!(probability(1e-3), "p = 1.00e-3");
        assert_eq!(badge_count(0), "0");
        assert_eq!(badge_count(999), "999");
        assert_eq!(badge_count(12_345), "12k");
    }
}

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
    fn probability_and_badges() {
        assert_eq!(probability(1e-3), "p = 1.00e-3");
        assert_eq!(badge_count(0), "0");
        assert_eq!(badge_count(999), "999");
        assert_eq!(badge_count(12_345), "12k");
    }
}

//! Tiny sample library with deliberate clippy warnings and one failing test.

/// Sum of the even numbers in a slice.
pub fn sum_even(values: &Vec<i64>) -> i64 {
    // clippy::ptr_arg (&Vec instead of &[_])
    let mut total = 0;
    for i in 0..values.len() {
        // clippy::needless_range_loop
        if values[i] % 2 == 0 {
            total = total + values[i]; // clippy::assign_op_pattern
        }
    }
    return total; // clippy::needless_return
}

/// Whether a string is empty after trimming.
pub fn is_blank(text: &str) -> bool {
    if text.trim().len() == 0 {
        // clippy::len_zero
        true
    } else {
        false
    }
}

/// Integer percentage, rounded down; None when the total is zero.
pub fn percent(part: u64, total: u64) -> Option<u64> {
    let scale = 100; // rustc warning: unused_variables
    if total == 0 {
        return None;
    }
    Some(part * 100 / total)
}

/// Clamp a value into [lo, hi].
pub fn clamp(value: i32, lo: i32, hi: i32) -> i32 {
    if value < lo {
        lo
    } else if value > hi {
        hi
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_even_numbers() {
        assert_eq!(sum_even(&vec![1, 2, 3, 4]), 6);
    }

    #[test]
    fn blank_strings() {
        assert!(is_blank("   "));
        assert!(!is_blank(" x "));
    }

    #[test]
    fn percent_of_zero_total() {
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn percent_rounds_half_up() {
        // Deliberate failure: integer division rounds down (2/3 -> 66).
        assert_eq!(percent(2, 3), Some(67));
    }

    #[test]
    fn clamp_inside_range() {
        assert_eq!(clamp(5, 0, 10), 5);
    }

    #[test]
    #[ignore = "slow: exhaustive check"]
    fn clamp_exhaustive() {
        for v in -1000..1000 {
            let c = clamp(v, -10, 10);
            assert!((-10..=10).contains(&c));
        }
    }
}

// Shopping cart arithmetic (sample code for shipgate fixtures).

export const TAX_RATES = { standard: 0.2, reduced: 0.05, zero: 0 };

export function lineTotal(unitPrice, quantity = 1, taxClass = 'standard') {
  if (quantity < 0) {
    throw new RangeError('negative quantity');
  }
  const rate = TAX_RATES[taxClass];
  if (rate === undefined) {
    throw new Error(`unknown tax class: ${taxClass}`);
  }
  return Math.round(unitPrice * quantity * (1 + rate) * 100) / 100;
}

export function applyDiscount(amount, percent) {
  if (percent <= 0) return amount;
  if (percent >= 100) return 0;
  return Math.round((amount * (100 - percent))) / 100;
}

export function cartTotal(lines, coupon) {
  let total = 0;
  for (const line of lines) {
    total += lineTotal(line.price, line.qty, line.tax);
  }
  if (!coupon) {
    return Math.round(total * 100) / 100;
  }
  switch (coupon) {
    case 'HALF':
      return applyDiscount(total, 50);
    case 'TENOFF':
      return Math.max(0, Math.round((total - 10) * 100) / 100);
    default:
      throw new Error(`unknown coupon: ${coupon}`);
  }
}

// Untested on purpose: shows up as uncovered lines, functions and branches.
export function shippingCost(weightKg, express = false) {
  if (weightKg <= 0) {
    throw new RangeError('weight must be positive');
  }
  let cost;
  if (weightKg < 1) {
    cost = 4.5;
  } else if (weightKg < 10) {
    cost = 9;
  } else {
    cost = 9 + (weightKg - 10) * 0.5;
  }
  return express ? cost * 2 : cost;
}

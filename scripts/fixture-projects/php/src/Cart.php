<?php
declare(strict_types=1);

namespace Fixture;

/** Shopping cart arithmetic (sample code for shipgate's PHPUnit fixtures). */
final class Cart
{
    /** @var array<string, array{float, int}> */
    private array $lines = [];

    public function add(string $sku, float $price, int $qty = 1): void
    {
        if ($qty <= 0) {
            throw new \InvalidArgumentException('qty must be positive');
        }
        if (isset($this->lines[$sku])) {
            $this->lines[$sku][1] += $qty;
        } else {
            $this->lines[$sku] = [$price, $qty];
        }
    }

    public function total(?string $coupon = null): float
    {
        $total = 0.0;
        foreach ($this->lines as [$price, $qty]) {
            $total += $price * $qty;
        }
        if ($coupon === 'HALF') {
            return round($total / 2, 2);
        } elseif ($coupon !== null) {
            throw new \DomainException('unknown coupon');
        }
        return round($total, 2);
    }

    /** Untested on purpose. */
    public function shipping(float $weightKg): float
    {
        if ($weightKg < 1) {
            return 4.5;
        }
        return $weightKg < 10 ? 9.0 : 9.0 + ($weightKg - 10) * 0.5;
    }
}

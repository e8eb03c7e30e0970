package shipgatefixture

import "testing"

func TestMean(t *testing.T) {
	got, err := Mean([]float64{1, 2, 3})
	if err != nil || got != 2 {
		t.Fatalf("Mean = %v, %v", got, err)
	}
}

func TestMeanEmpty(t *testing.T) {
	if _, err := Mean(nil); err != ErrEmpty {
		t.Fatalf("expected ErrEmpty, got %v", err)
	}
}

func TestGrade(t *testing.T) {
	cases := []struct {
		score int
		want  string
	}{{95, "A"}, {80, "B"}, {10, "F"}}
	for _, c := range cases {
		c := c
		t.Run(c.want, func(t *testing.T) {
			if got := Grade(c.score); got != c.want {
				t.Errorf("Grade(%d) = %q, want %q", c.score, got, c.want)
			}
		})
	}
}

func TestGradeBoundary(t *testing.T) {
	// Deliberate failure: 75 is a "B".
	if got := Grade(75); got != "C" {
		t.Errorf("Grade(75) = %q, want %q", got, "C")
	}
}

func TestSlowIntegration(t *testing.T) {
	t.Skip("integration environment not available")
}

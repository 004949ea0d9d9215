package report

import "testing"

func TestDistinctSplits(t *testing.T) {
	for _, tc := range []struct {
		sizes []int
		want  float64
	}{
		{[]int{5, 5}, 126},   // C(10,5)/2
		{[]int{3, 3}, 10},    // C(6,3)/2
		{[]int{2, 3}, 10},    // C(5,2)
		{[]int{1, 1, 2}, 6},  // 4!/(1!·1!·2!)/2!
		{[]int{2, 2, 2}, 15}, // 6!/(2!)³/3!
	} {
		if got := distinctSplits(tc.sizes); got != tc.want {
			t.Errorf("distinctSplits(%v) = %v, want %v", tc.sizes, got, tc.want)
		}
	}
}

// TestBeyondNoise checks the read-sampling test of a change in one share
// (the comparison's own numbers are tested with cohort.Compare).
func TestBeyondNoise(t *testing.T) {
	if !beyondNoise(0.1, 1000, 0.2, 1000) || beyondNoise(0.1, 100, 0.12, 100) {
		t.Error("beyondNoise: 10 % → 20 % at 1,000 reads is beyond noise, 10 % → 12 % at 100 reads is not")
	}
}

package pipeline

import "testing"

func TestInformativeQualities(t *testing.T) {
	for _, c := range []struct {
		qual string
		want bool
	}{
		{"", false},
		{"IIIIIIII", false}, // FASTA made FASTQ with a fixed quality
		{"!!!!", false},
		{"I", false},
		{"II5III", true},
		{"+,-./", true},
	} {
		if got := informativeQualities([]byte(c.qual)); got != c.want {
			t.Errorf("informativeQualities(%q) = %v, want %v", c.qual, got, c.want)
		}
	}
}

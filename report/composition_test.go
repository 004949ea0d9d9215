package report_test

import (
	"strings"
	"testing"

	"github.com/zonula/zonula/report"
)

// TestOnePhylumEverywhere checks that Desulfovibrio and Bilophila, filed
// under Proteobacteria;Deltaproteobacteria by old databases, sit under
// Desulfobacterota in the genera table, the all-taxa table, the phylum
// chart and the sunburst, and that read counts show as whole numbers.
func TestOnePhylumEverywhere(t *testing.T) {
	doc := build(t, gutInput(t, adultGut))
	var comp report.Section
	for _, s := range doc.Sections {
		if s.ID == "composition" {
			comp = s
		}
	}
	var tree *report.TreeNode
	for _, b := range comp.Blocks {
		switch v := b.(type) {
		case *report.Table:
			if len(v.Header) < 5 {
				v.Header = append(v.Header, "")
			}
			for _, r := range v.Rows {
				switch {
				case v.Header[1] == "Phylum" && (r[0] == "Desulfovibrio" || r[0] == "Bilophila"):
					if r[1] != "Desulfobacterota" {
						t.Errorf("genera table: %s under %s", r[0], r[1])
					}
				case v.Header[4] == "Lineage" && (r[1] == "Desulfovibrio" || r[1] == "Desulfovibrionaceae"):
					if !strings.HasPrefix(r[4], "Desulfobacterota; Deltaproteobacteria") {
						t.Errorf("all-taxa table: %s lineage %q", r[1], r[4])
					}
				case v.Header[4] == "Lineage" && r[0] == "phylum" && r[1] == "Pseudomonadota":
					// 35 + 5 Enterobacteriaceae + 14 Sutterella; not the 20 sulfide producers.
					if r[2] != "54" {
						t.Errorf("Pseudomonadota holds %s reads, want 54", r[2])
					}
				}
				if v.Header[4] == "Lineage" && r[0] != "species" && strings.Contains(r[2], ".") {
					t.Errorf("read count %q of %s is not whole", r[2], r[1])
				}
			}
		case *report.Figure:
			// Pseudomonadota 54 of 2,015 reads, without the 20 sulfide producers.
			if v.ID == "phyla" && !strings.Contains(v.Alt, "Pseudomonadota 2.7 %") {
				t.Errorf("phylum chart: %s", v.Alt)
			}
		case *report.Hierarchy:
			tree = v.Root
		}
	}
	var walk func(n *report.TreeNode, phylum string)
	found := 0
	walk = func(n *report.TreeNode, phylum string) {
		if n.Rank == "phylum" {
			phylum = n.Name
		}
		if n.Name == "Desulfovibrio" || n.Name == "Bilophila" {
			found++
			if phylum != "Desulfobacterota" || n.Group != "Desulfobacterota" {
				t.Errorf("sunburst: %s under %s (group %s)", n.Name, phylum, n.Group)
			}
		}
		for _, c := range n.Children {
			walk(c, phylum)
		}
	}
	walk(tree, "")
	if found != 2 {
		t.Errorf("sunburst holds %d of the two sulfide producers", found)
	}
}

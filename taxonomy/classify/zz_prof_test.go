package classify

import (
	"bufio"
	"compress/gzip"
	"os"
	"testing"
	"time"

	"github.com/zonula/zonula/taxonomy/refdb"
)

func TestZZProfBigDB(t *testing.T) {
	f, err := os.Open("/tmp/bigdb/syn500k.zdb")
	if err != nil {
		t.Skip()
	}
	db, err := refdb.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(db, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rf, _ := os.Open("/tmp/bigdb/ont-r10.fastq.gz")
	gz, _ := gzip.NewReader(rf)
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var reads [][]byte
	for n := 0; sc.Scan(); n++ {
		if n%4 == 1 {
			reads = append(reads, []byte(sc.Text()))
		}
	}
	w := c.NewWorker()
	start := time.Now()
	for _, r := range reads[:2000] {
		w.ClassifyAt(r, 0.03)
	}
	t.Logf("%d reads in %v: %.0f reads/s on one core", 2000, time.Since(start), 2000/time.Since(start).Seconds())
}

package seqio

import (
	"bytes"
	"errors"
	"testing"
)

// wantBases returns what the Scanner should store for one sequence line
// (upper case, blanks dropped), or ok false when the line holds a byte a
// sequence may not.
func wantBases(line []byte) (out []byte, ok bool) {
	for _, c := range line {
		switch {
		case c >= 'A' && c <= 'Z', c == '-', c == '.', c == '*':
			out = append(out, c)
		case c >= 'a' && c <= 'z':
			out = append(out, c-'a'+'A')
		case c == ' ', c == '\t':
		default:
			return nil, false
		}
	}
	return out, true
}

// FuzzFASTQ builds one four-line FASTQ record from its parts and checks the
// Scanner against the rules written out plainly in wantBases: the record is
// read exactly when its bases and qualities are valid and of equal length,
// and fails with a *ParseError otherwise.
func FuzzFASTQ(f *testing.F) {
	f.Add([]byte("read1 x=1"), []byte("ACGTNacgtn"), []byte("IIIIIIIIII"))
	f.Add([]byte("r"), []byte("ACGTACGTACGTACGTACGT"), []byte("!!!!!!!!!!!!!!!!!!!~"))
	f.Add([]byte("r"), []byte("ACGT ACGT"), []byte("IIIIIIII"))
	f.Add([]byte("r"), []byte("ACGTACG\xffACGT"), []byte("IIIIIIIIIII"))
	f.Add([]byte("r"), []byte("ACGT"), []byte("II\x7fI"))
	f.Fuzz(func(t *testing.T, id, seq, qual []byte) {
		if bytes.ContainsAny(id, "\r\n") || bytes.ContainsAny(seq, "\r\n") || bytes.ContainsAny(qual, "\r\n") ||
			len(seq) == 0 || len(qual) == 0 || seq[0] == '+' || seq[0] == '@' {
			return // other layouts: FuzzScanner's business
		}
		data := []byte("@" + string(id) + "\n" + string(seq) + "\n+\n" + string(qual) + "\n")
		sc := NewScanner(bytes.NewReader(data), "fuzz.fq")
		got := sc.Scan()
		bases, ok := wantBases(seq)
		qualOK := true
		for _, q := range qual {
			qualOK = qualOK && q >= '!' && q <= '~'
		}
		if ok && qualOK && len(bases) == len(qual) {
			if !got || !bytes.Equal(sc.Record().Seq, bases) || !bytes.Equal(sc.Record().Qual, qual) {
				t.Fatalf("valid record: scanned %v %q %q (%v), want %q", got, sc.Record().Seq, sc.Record().Qual, sc.Err(), bases)
			}
			if sc.Scan() || sc.Err() != nil {
				t.Fatalf("after the only record: %v", sc.Err())
			}
			return
		}
		var pe *ParseError
		if got || !errors.As(sc.Err(), &pe) || pe.Record != 1 {
			t.Fatalf("invalid record (bases ok %v, qualities ok %v, %d vs %d): scanned %v, error %v", ok, qualOK, len(bases), len(qual), got, sc.Err())
		}
	})
}

// FuzzFASTA wraps a sequence at width and checks that the Scanner joins the
// lines back into it, or fails with a *ParseError when a byte is invalid.
func FuzzFASTA(f *testing.F) {
	f.Add([]byte("ACGTNacgtnRYKM-.*"), uint8(5))
	f.Add([]byte("ACGTACGTACGTACGTACGTACGTACGTACGT"), uint8(8))
	f.Add([]byte("ACGT\x00ACGT"), uint8(3))
	f.Fuzz(func(t *testing.T, seq []byte, width uint8) {
		if bytes.ContainsAny(seq, "\r\n>;") || width == 0 {
			return
		}
		var data bytes.Buffer
		data.WriteString(">s1 desc\n")
		for i := 0; i < len(seq); i += int(width) {
			data.Write(seq[i:min(i+int(width), len(seq))])
			data.WriteByte('\n')
		}
		data.WriteString(">s2\nAC\n")
		sc := NewScanner(&data, "fuzz.fa")
		got := sc.Scan()
		bases, ok := wantBases(seq)
		if !ok {
			var pe *ParseError
			if got || !errors.As(sc.Err(), &pe) {
				t.Fatalf("invalid sequence accepted: %v %v", got, sc.Err())
			}
			return
		}
		if !got || !bytes.Equal(sc.Record().Seq, bases) || sc.Record().Qual != nil || sc.Record().ID != "s1" {
			t.Fatalf("scanned %v %q (%v), want %q", got, sc.Record().Seq, sc.Err(), bases)
		}
		if !sc.Scan() || string(sc.Record().Seq) != "AC" || sc.Scan() || sc.Err() != nil {
			t.Fatalf("second record: %v", sc.Err())
		}
	})
}

package report

import "time"

// Database identifies the reference database used for a run.
type Database struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Source    string `json:"source"`
	Sequences int    `json:"sequences"`
	SHA256    string `json:"sha256"`
}

// Option is one run parameter as the user would write it ("min-length", "1000").
type Option struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// InputFile is one input with its checksum.
type InputFile struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Provenance says what made an output: program, database, options, inputs and
// when. Every output carries it.
type Provenance struct {
	Program  string      `json:"program"` // "zonula"
	Version  string      `json:"version"`
	Commit   string      `json:"commit,omitempty"`
	Database Database    `json:"database"`
	Options  []Option    `json:"options"`
	Inputs   []InputFile `json:"inputs"`
	Started  time.Time   `json:"started"`
	Finished time.Time   `json:"finished"`
}

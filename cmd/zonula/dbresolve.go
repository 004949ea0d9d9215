package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/zonula/zonula/taxonomy/refdb"
)

// defaultHeader returns the embedded database's header; failing to read it
// is a database problem (exit 4).
func defaultHeader() (refdb.Header, error) {
	h, err := refdb.DefaultHeader()
	if err != nil {
		return h, &databaseError{err}
	}
	return h, nil
}

// dbDir returns the database directory: --dir, else $ZONULA_DB_DIR, else
// $XDG_DATA_HOME/zonula, else ~/.local/share/zonula.
func dbDir(flagDir string) (string, error) {
	if flagDir != "" {
		return flagDir, nil
	}
	if d := os.Getenv("ZONULA_DB_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "zonula"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", &databaseError{fmt.Errorf("no database directory: set ZONULA_DB_DIR or pass --dir (%v)", err)}
	}
	return filepath.Join(home, ".local", "share", "zonula"), nil
}

// resolveDB turns what the user gave to --db into a file path: an existing
// file as is, otherwise a name installed in the database directory
// ("silva-138.2" → DIR/silva-138.2.zdb).
func resolveDB(name string) (string, error) {
	if st, err := os.Stat(name); err == nil && !st.IsDir() {
		return name, nil
	}
	if strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".zdb") {
		return "", &databaseError{fmt.Errorf("database %s: no such file (build one with 'zonula db build', or omit --db for the embedded one)", name)}
	}
	dir, err := dbDir("")
	if err != nil {
		return "", err
	}
	path := refdb.InstalledPath(dir, name)
	if _, err := os.Stat(path); err != nil {
		return "", &databaseError{fmt.Errorf("database %s: not a file and not installed in %s; run 'zonula db fetch %s' (see 'zonula db list'), or pass a file", name, dir, name)}
	}
	return path, nil
}

// loadDB opens the database the user named: "" or "embedded" for the
// embedded default, otherwise a database file written by 'zonula db build'
// or the name of one installed by 'zonula db fetch'.
func loadDB(name string) (*refdb.DB, error) {
	if name == "" || name == refdb.DefaultName {
		db, err := refdb.Default()
		if err != nil {
			return nil, &databaseError{err}
		}
		return db, nil
	}
	path, err := resolveDB(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &databaseError{fmt.Errorf("database %s: %w", name, err)}
	}
	defer f.Close()
	db, err := refdb.Read(f)
	if err != nil {
		return nil, &databaseError{fmt.Errorf("database %s: %w", path, err)}
	}
	return db, nil
}

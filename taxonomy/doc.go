// Package taxonomy holds ranks, lineages, current-name synonyms and the lowest
// common ancestor of lineages. It imports no other zonula package.
package taxonomy

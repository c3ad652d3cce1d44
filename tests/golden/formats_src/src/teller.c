/* A stand-in for the program of tests/golden/formats.jsonl: SARIF locates a
 * result only at a file that exists under the source root (formats_sarif.cmd
 * passes --source-root tests/golden/formats_src). */

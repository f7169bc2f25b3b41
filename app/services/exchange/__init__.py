"""Exchange packages between branch, township and county: what a scope holds and merging one in with
conflicts decided per row (merge), rows as plain JSON with stable keys (rows), and writing merged rows
under the same rules as hand entry (write). The file format is app.io.package's."""

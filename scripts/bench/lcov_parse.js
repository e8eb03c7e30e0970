// Parses an LCOV file with the lcov-parse package and prints the number of files.
const parse = require("lcov-parse");
parse(process.argv[2], (err, data) => {
  if (err) { console.error(err); process.exit(1); }
  console.log(data.length);
});

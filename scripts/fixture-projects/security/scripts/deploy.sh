#!/bin/sh
# Deliberate ShellCheck findings.
target=$1
files=$(ls *.tgz)
for f in $files; do
  cp $f $target
done
if [ $target == "prod" ]; then
  echo "deploying to `hostname`"
fi
cd /tmp
rm -rf $target/old

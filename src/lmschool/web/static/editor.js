// Tab indents in the code editor (4 spaces, or the selected lines); Shift+Tab dedents.
// Escape, then Tab, leaves the editor, so the keyboard is never trapped.
(function () {
  var INDENT = "    ";
  document.querySelectorAll("textarea[data-tab-indent]").forEach(function (area) {
    var escaped = false;
    area.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { escaped = true; return; }
      if (event.key !== "Tab" || escaped) { escaped = false; return; }
      event.preventDefault();
      var text = area.value, start = area.selectionStart, end = area.selectionEnd;
      var lineStart = text.lastIndexOf("\n", start - 1) + 1;
      if (start === end && !event.shiftKey) {
        area.setRangeText(INDENT, start, end, "end");
        return;
      }
      var block = text.slice(lineStart, end);
      var lines = block.split("\n");
      var changed = lines.map(function (line) {
        if (!event.shiftKey) { return INDENT + line; }
        var n = 0;
        while (n < INDENT.length && line.charAt(n) === " ") { n++; }
        return line.slice(n);
      }).join("\n");
      area.setRangeText(changed, lineStart, end, "select");
    });
  });
})();

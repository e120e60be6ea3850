// A small rich-text editor for textareas marked data-richtext: a toolbar and an editable area
// whose HTML is copied back into the (hidden) textarea. Without JavaScript the textarea stays.
// The server keeps only a few tags (p, br, strong, em, u, lists, h3, h4, blockquote, links).
(function () {
  "use strict";

  const BUTTONS = [
    { label: "bold", icon: "bi-type-bold", command: "bold" },
    { label: "italic", icon: "bi-type-italic", command: "italic" },
    { label: "underline", icon: "bi-type-underline", command: "underline" },
    { label: "bullets", icon: "bi-list-ul", command: "insertUnorderedList" },
    { label: "numbers", icon: "bi-list-ol", command: "insertOrderedList" },
    { label: "heading", icon: "bi-type-h3", command: "formatBlock", value: "h3" },
    { label: "subheading", icon: "bi-type-h4", command: "formatBlock", value: "h4" },
    { label: "quote", icon: "bi-quote", command: "formatBlock", value: "blockquote" },
    { label: "paragraph", icon: "bi-paragraph", command: "formatBlock", value: "p" },
  ];

  function setUp(textarea) {
    const wrapper = document.createElement("div");
    wrapper.className = "richtext border rounded";

    const toolbar = document.createElement("div");
    toolbar.className = "btn-toolbar flex-wrap gap-1 p-1 border-bottom bg-light";
    toolbar.setAttribute("role", "toolbar");

    const editor = document.createElement("div");
    editor.className = "richtext-body form-control border-0 rounded-0";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.setAttribute("aria-label", textarea.dataset.labelEditor || "");
    editor.style.minHeight = "16rem";
    editor.style.overflowY = "auto";
    editor.innerHTML = textarea.value || "<p><br></p>";

    BUTTONS.forEach(function (spec) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      const label = textarea.dataset["label" + spec.label[0].toUpperCase() + spec.label.slice(1)];
      button.title = label || spec.label;
      button.setAttribute("aria-label", label || spec.label);
      const icon = document.createElement("i");
      icon.className = "bi " + spec.icon;
      button.appendChild(icon);
      button.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the selection in the editor
      });
      button.addEventListener("click", function () {
        editor.focus();
        document.execCommand(spec.command, false, spec.value || null);
        sync();
      });
      toolbar.appendChild(button);
    });

    function sync() {
      textarea.value = editor.innerHTML;
    }

    editor.addEventListener("input", sync);
    editor.addEventListener("blur", sync);
    editor.addEventListener("paste", function (event) {
      // Paste as plain text: formatting from other programs would be stripped anyway.
      const text = (event.clipboardData || window.clipboardData).getData("text/plain");
      if (text) {
        event.preventDefault();
        document.execCommand("insertText", false, text);
      }
    });
    if (textarea.form) {
      textarea.form.addEventListener("submit", sync);
    }
    // The label of the textarea now names the editor.
    if (textarea.id) {
      const label = document.querySelector('label[for="' + textarea.id + '"]');
      if (label) {
        label.addEventListener("click", function () {
          editor.focus();
        });
      }
    }

    wrapper.appendChild(toolbar);
    wrapper.appendChild(editor);
    textarea.hidden = true;
    textarea.insertAdjacentElement("afterend", wrapper);
    try {
      document.execCommand("defaultParagraphSeparator", false, "p");
    } catch (error) {
      // older browsers: the server turns div into p
    }
  }

  document.querySelectorAll("textarea[data-richtext]").forEach(setUp);
})();

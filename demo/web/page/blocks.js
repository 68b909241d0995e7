// Block Kit for the demo page: sections, headers, context, dividers and buttons drawn as Slack
// draws them, so a person can press pup's buttons (Forget, Forget everything, paging). Other
// block types and elements show as their text. A button with a `confirm` object asks first,
// in the page's own dialog (data-testid="confirm-dialog"), as Slack does.
import { blocksText, formatText } from "./render.js";

const plainOf = (text) => (typeof text === "string" ? text : (text?.text ?? ""));

/**
 * The blocks as elements. `onPress(button)` sends a pressed button (after its confirmation);
 * while it runs the button is disabled, as Slack shows a pressed button busy.
 */
export function blocksElement(blocks, { nameOf, onPress }) {
  const root = document.createElement("div");
  root.className = "blocks";
  for (const block of blocks) {
    const element = blockElement(block, nameOf, onPress);
    if (element) root.append(element);
  }
  return root;
}

function blockElement(block, nameOf, onPress) {
  if (!block || typeof block !== "object") return undefined;
  const div = document.createElement("div");
  div.className = `block block-${block.type}`;
  div.dataset.testid = "block";
  div.dataset.blockType = String(block.type);
  const text = (value) => {
    const p = document.createElement("div");
    p.className = "block-text";
    p.innerHTML = formatText(value, nameOf);
    return p;
  };
  switch (block.type) {
    case "divider":
      return Object.assign(document.createElement("hr"), { className: "block-divider" });
    case "header":
      div.append(Object.assign(document.createElement("h3"), { textContent: plainOf(block.text) }));
      return div;
    case "context":
      for (const element of block.elements ?? []) {
        if (element?.type !== "image") div.append(text(plainOf(element?.text ?? element)));
      }
      return div;
    case "actions":
      for (const element of block.elements ?? []) div.append(elementOf(element, nameOf, onPress));
      return div;
    case "section": {
      const body = document.createElement("div");
      body.className = "block-body";
      if (block.text) body.append(text(plainOf(block.text)));
      if (block.fields?.length) {
        const fields = document.createElement("div");
        fields.className = "block-fields";
        for (const field of block.fields) fields.append(text(plainOf(field)));
        body.append(fields);
      }
      div.append(body);
      if (block.accessory) div.append(elementOf(block.accessory, nameOf, onPress));
      return div;
    }
    default: {
      const shown = typeof block.text === "string" ? block.text : blocksText([block]);
      if (!shown) return undefined;
      div.append(text(shown));
      return div;
    }
  }
}

/** A button, or (any other element) its text. */
function elementOf(element, nameOf, onPress) {
  if (element?.type !== "button") {
    const span = document.createElement("span");
    span.className = "block-element";
    span.innerHTML = formatText(plainOf(element?.text ?? element?.placeholder), nameOf);
    return span;
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "block-button";
  if (element.style === "primary" || element.style === "danger") {
    button.classList.add(element.style);
  }
  button.dataset.testid = "block-button";
  button.dataset.actionId = element.action_id ?? "";
  button.textContent = plainOf(element.text);
  button.addEventListener("click", async () => {
    if (element.confirm && !(await confirmed(element.confirm))) return;
    button.disabled = true;
    try {
      await onPress(element);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** Asks with the confirm object's words; true when the person confirms. */
function confirmed(confirm) {
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog) return Promise.resolve(window.confirm(plainOf(confirm.text)));
  document.getElementById("confirm-title").textContent = plainOf(confirm.title) || "Are you sure?";
  document.getElementById("confirm-text").textContent = plainOf(confirm.text);
  const accept = document.getElementById("confirm-accept");
  accept.textContent = plainOf(confirm.confirm) || "Yes";
  accept.classList.toggle("danger", confirm.style === "danger");
  accept.classList.toggle("primary", confirm.style !== "danger");
  document.getElementById("confirm-deny").textContent = plainOf(confirm.deny) || "Cancel";
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), {
      once: true,
    });
    dialog.showModal();
    document.getElementById("confirm-deny").focus();
  });
}

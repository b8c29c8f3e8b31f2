"""Rendering reports: warm kernels that execute notebooks (`kernel`), HTML export and the
isolation check (`html`), the worker pool (`pool`) and the dashboards (`dashboard`).
`partnerbook.runner.report` coordinates them."""

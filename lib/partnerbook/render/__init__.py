"""Rendering reports: warm kernels that execute notebooks (`kernel`), HTML export and the
isolation check (`html`), the worker pool (`pool`) and the dashboards (`dashboard` works out
what they show, `page` renders it from the Jinja2 templates in templates/dashboard/).
`partnerbook.runner.report` coordinates them."""

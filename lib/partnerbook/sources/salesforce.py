"""The Salesforce preset: a data export (one CSV per object) to the canonical tables.

    read objects (any header case, BOM, labels or API names, 15/18-char ids)  ->
    find the partners (IsPartner, a partner Type, PartnerAccountId, OpportunityPartner, or a stand-in)  ->
    one builder per canonical table  ->  mapping overrides  ->  Extract

Objects used when present: Account, Opportunity, OpportunityPartner, OpportunityStage,
OpportunityLineItem, Product2, Lead, RecordType, Campaign, CampaignMember, Contact,
PartnerMarketingBudget, PartnerFundAllocation, PartnerFundRequest, PartnerFundClaim,
ChannelProgramMember, ChannelProgramLevel, LoginHistory, User.
A table whose objects are missing is left absent, and a note in the import report says
why. docs/sources.md lists every rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from ..tables import NUMBER, TABLES
from . import cells, files
from .extract import Extract
from .locales import Locale
from .mapping import build, value

UNKNOWN = "unknown"
PARTNER_TYPE = r"partner|reseller|integrator|distributor|\bvar\b|\bmsp\b"
DEAL_REG_SOURCES = ("partner", "partner referral", "deal registration")

# Report exports carry field labels ("Close Date"), data exports API names ("CloseDate").
LABELS = {
    "account": {
        "account id": "id",
        "account name": "name",
        "account type": "type",
        "partner account": "ispartner",
        "billing country": "billingcountry",
        "channel program level name": "channelprogramlevelname",
        "account owner": "ownerid",
        "created date": "createddate",
        "deleted": "isdeleted",
    },
    "opportunity": {
        "opportunity id": "id",
        "opportunity name": "name",
        "account id": "accountid",
        "stage": "stagename",
        "close date": "closedate",
        "created date": "createddate",
        "opportunity type": "type",
        "lead source": "leadsource",
        "won": "iswon",
        "closed": "isclosed",
        "partner account": "partneraccountid",
        "partner account id": "partneraccountid",
        "campaign id": "campaignid",
        "opportunity owner": "ownerid",
        "deleted": "isdeleted",
    },
    "lead": {
        "lead id": "id",
        "lead source": "leadsource",
        "lead status": "status",
        "converted": "isconverted",
        "converted date": "converteddate",
        "converted opportunity id": "convertedopportunityid",
        "partner account": "partneraccountid",
        "partner account id": "partneraccountid",
        "created date": "createddate",
        "record type": "recordtypeid",
        "lead record type": "recordtypeid",
        "last transfer date": "lasttransferdate",
        "deleted": "isdeleted",
    },
    # OpportunityPartner's AccountToId is labelled "Account ID"; "Account To ID" (the Partner
    # object's label) needs no entry: unknown labels lose their spaces.
    "opportunitypartner": {
        "opportunity partner id": "id",
        "opportunity id": "opportunityid",
        "account id": "accounttoid",
        "primary": "isprimary",
        "deleted": "isdeleted",
    },
    "opportunitylineitem": {
        "opportunity id": "opportunityid",
        "product id": "product2id",
        "product code": "productcode",
        "total price": "totalprice",
    },
    "product2": {
        "product id": "id",
        "product family": "family",
        "product code": "productcode",
        "product sku": "stockkeepingunit",
    },
}


# ---------------------------------------------------------------- entry points


def looks_like(source: str | Path) -> bool:
    """A folder holding Account.csv and Opportunity.csv (any case): a Salesforce export."""
    path = Path(source)
    return path.is_dir() and all(files.find(path, n) for n in ("Account.csv", "Opportunity.csv"))


def read(folder: str | Path, spec: dict | None = None, locale: Locale = Locale()) -> Extract:
    """The canonical tables of a Salesforce export; `spec` is a loaded mapping (preset: salesforce)."""
    org = Org(files.folder(folder), spec or {}, locale)
    org.extract.frames["partners"] = org.partners()
    org.extract.frames["opportunities"] = org.opportunities()
    for build in (
        org.leads,
        org.engagements,
        org.mdf,
        org.mdf_allocations,
        org.contacts,
        org.portal_activity,
    ):
        org.extract.frames.update(build())
    org.custom_tables()
    org.extract.problems += org.reader.problems
    org.extract.refused += org.reader.refused
    return org.extract


# ---------------------------------------------------------------- the org's objects


class Org:
    """One export folder: its objects read once, and who the partners are."""

    def __init__(self, folder: Path, spec: dict, locale: Locale = Locale()) -> None:
        self.locale = locale
        self.reader = files.Reader(folder, locale)
        self.spec = spec
        self.stand_in = (spec.get("partner") or {}).get("field")
        self.where = spec.get("_where", "mapping")
        self.extract = Extract(kind="salesforce", label=str(folder))
        self._objects: dict[str, pd.DataFrame | None] = {}

    # -- reading

    def object(self, name: str) -> pd.DataFrame | None:
        """The object's export with API-name headers (lower case), 15-char ids, deleted rows out."""
        if name not in self._objects:
            self._objects[name] = self._read(name) if self.reader.has(f"{name}.csv") else None
        return self._objects[name]

    def _read(self, name: str) -> pd.DataFrame:
        frame = self.reader.get(f"{name}.csv")
        labels = LABELS.get(name.lower(), {})
        frame = frame.rename(columns=lambda c: labels.get(c, c.replace(" ", "")))
        frame = frame.loc[:, ~frame.columns.duplicated()]
        frame = frame.apply(lambda s: cells.salesforce_id(s) if s.str.len().eq(18).any() else s)
        frame.attrs["file"] = self.reader.name(f"{name}.csv")
        deleted = cells.truth(field(frame, "isdeleted"))
        if deleted.any():
            self.note(f"{frame.attrs['file']}: {int(deleted.sum())} deleted record(s) (IsDeleted) left out")
        return frame[~deleted]

    def date(self, values: pd.Series) -> pd.Series:
        return cells.date(values, locale=self.locale)

    def number(self, values: pd.Series) -> pd.Series:
        return cells.number(values, self.locale)

    def amounts(self, frame: pd.DataFrame, name: str, obj: str) -> pd.Series:
        """A field of amounts that feeds a sum (line totals, claims) as floats, empty = 0; a cell
        that cannot be read is refused (file, row, field), never counted as 0."""
        values = self.number(field(frame, name))
        bad = values.ne("") & ~values.str.fullmatch(NUMBER)
        self.extract.refused += [
            Problem(self.file(obj), int(row), name, self.locale.expected("number"), v)
            for row, v in values[bad].items()
        ]
        return pd.to_numeric(values.where(~bad, ""), errors="coerce").fillna(0)

    def file(self, name: str) -> str:
        return self.reader.name(f"{name}.csv")

    def note(self, text: str) -> None:
        self.extract.notes.append(text)

    def overrides(self, table: str) -> dict:
        return ((self.spec.get("tables") or {}).get(table) or {}).get("columns") or {}

    def finish(self, table: str, out: pd.DataFrame, base: pd.DataFrame, obj: str) -> pd.DataFrame:
        """Apply the mapping's column overrides for `table`, evaluated on its source object."""
        for column, spec in self.overrides(table).items():
            kind = TABLES[table].column(column).kind
            out[column] = value(
                base,
                spec,
                kind,
                f"{self.where}: tables.{table}.columns.{column}",
                self.reader.get,
                self.locale,
            )
        self.extract.files[table] = self.file(obj)
        defaulted = [
            c for c in out.columns if c not in self.overrides(table) and out[c].eq(UNKNOWN).all() and len(out)
        ]
        if defaulted:
            self.note(
                f"{table}: {', '.join(defaulted)} not in the export; set to {UNKNOWN!r} "
                f"(name a field in a mapping: tables.{table}.columns.{defaulted[0]})"
            )
        return out

    # -- partners

    def partner_accounts(self) -> pd.DataFrame:
        account = self.object("Account")
        marked = cells.truth(field(account, "ispartner")) | field(account, "type").str.contains(
            PARTNER_TYPE, case=False, regex=True
        )
        referenced = set()
        for obj in ("Opportunity", "Lead"):
            frame = self.object(obj)
            if frame is not None:
                referenced |= set(self.resolve(field(frame, "partneraccountid"))) - {""}
        links = self._partner_links()
        if links is not None:
            referenced |= set(links["account"])
        return account[marked | field(account, "id").isin(referenced)]

    def _partner_links(self) -> pd.DataFrame | None:
        """OpportunityPartner rows as opp, account, primary; a row naming the deal's own customer
        account is left out (the customer is not its partner). None without the object."""
        links = self.object("OpportunityPartner")
        if links is None:
            return None
        rows = pd.DataFrame(
            {
                "opp": field(links, "opportunityid"),
                "account": self.resolve(field(links, "accounttoid")),
                "primary": cells.truth(field(links, "isprimary")),
            }
        )
        opp = self.object("Opportunity")
        customer = dict(zip(field(opp, "id"), self.resolve(field(opp, "accountid"))))
        return rows[
            rows["opp"].ne("") & rows["account"].ne("") & rows["account"].ne(rows["opp"].map(customer))
        ]

    def resolve(self, values: pd.Series) -> pd.Series:
        """Account references as ids: report exports show a lookup as the account's name."""
        account = self.object("Account")
        ids, names = set(field(account, "id")), dict(zip(field(account, "name"), field(account, "id")))
        return values.map(lambda v: names[v] if v not in ids and v in names else v)

    def partners(self) -> pd.DataFrame:
        if self.stand_in:
            return self._stand_in_partners()
        account = self.object("Account")
        chosen = self.partner_accounts()
        if chosen.empty:
            raise DataError(self._no_partners(account))
        tier, joined = self._tiers(chosen)
        out = pd.DataFrame(
            {
                "partner_id": field(chosen, "id"),
                "name": field(chosen, "name"),
                "tier": tier,
                "region": UNKNOWN,
                "country": field(chosen, "billingcountry"),
                "joined_on": joined,
                "account_manager": self._names("User", field(chosen, "ownerid")),
            },
            index=chosen.index,
        )
        return self.finish("partners", out, chosen, "Account")

    def _no_partners(self, account: pd.DataFrame) -> str:
        opp = self.object("Opportunity")
        has = [
            name
            for name, frame in (("PartnerAccountId", opp), ("IsPartner", account))
            if name.lower() in frame.columns
        ]
        has += ["OpportunityPartner"] if self.object("OpportunityPartner") is not None else []
        what = (
            "no partner fields found (PartnerAccountId, IsPartner, OpportunityPartner) and no "
            "Account Type naming a partner"
            if not has
            else f"no partner accounts found ({', '.join(has)} present but never set)"
        )
        return (
            f"{self.file('Opportunity')}, {self.file('Account')}: {what}; this export has no partner "
            "data. Name a field that stands for the partner in a mapping (preset: salesforce, "
            "partner: {field: OwnerId} or {field: Account.Branch__c, object: Branch__c}) and pass it "
            "with --mapping; see docs/sources.md"
        )

    def _stand_in_partners(self) -> pd.DataFrame:
        partner = self.spec["partner"]
        if partner.get("object"):
            obj = self.reader.get(partner["object"], f"{self.where}: partner.object")
            obj = obj.apply(cells.salesforce_id)
            name_col = (partner.get("name") or "name").lower()
            out = pd.DataFrame(
                {
                    "partner_id": field(obj, "id"),
                    "name": field(obj, name_col).mask(field(obj, name_col).eq(""), field(obj, "id")),
                    "tier": UNKNOWN,
                    "region": UNKNOWN,
                },
                index=obj.index,
            )
            self.note(
                f"partners: {partner['field']} stands for the partner; partners are the rows of "
                f"{obj.attrs['file']}"
            )
            table = self.finish("partners", out, obj, "Account")
            self.extract.files["partners"] = obj.attrs["file"]
            return table
        ids = self.stand_in_values()
        ids = pd.Series(sorted(set(ids) - {""}), dtype=object)
        names = self._names("User", ids) if self.stand_in.lower().endswith("ownerid") else ids
        out = pd.DataFrame(
            {"partner_id": ids, "name": names.mask(names.eq(""), ids), "tier": UNKNOWN, "region": UNKNOWN}
        )
        out.index = pd.RangeIndex(2, len(out) + 2, name="row")
        self.note(f"partners: {self.stand_in} stands for the partner; one partner per value found")
        return self.finish("partners", out, out, "Opportunity")

    def stand_in_values(self) -> pd.Series:
        """The stand-in field for each opportunity (on Opportunity, or on its Account)."""
        opp = self.object("Opportunity")
        name = self.stand_in.lower()
        if name.startswith("opportunity."):
            name = name.split(".", 1)[1]
        if not name.startswith("account.") and name in opp.columns:
            return opp[name]
        column = name.split(".", 1)[1] if name.startswith("account.") else name
        return self.account_field(field(opp, "accountid"), column, f"{self.where}: partner.field")

    def account_field(self, ids: pd.Series, column: str, where: str) -> pd.Series:
        account = self.object("Account")
        if column not in account.columns:
            raise DataError(
                f"{where}: no field {column!r} on Opportunity or Account "
                f"({self.file('Opportunity')}, {self.file('Account')})"
            )
        table = dict(zip(field(account, "id"), account[column]))
        return ids.map(lambda v: table.get(v, ""))

    def partner_of_accounts(self, ids: pd.Series) -> pd.Series:
        """The partner each account id belongs to: itself when it is a partner, or the stand-in."""
        if self.stand_in:
            name = self.stand_in.lower()
            column = name.split(".", 1)[1] if name.startswith("account.") else name
            if column in self.object("Account").columns:
                return self.account_field(ids, column, f"{self.where}: partner.field")
            return pd.Series("", index=ids.index)
        partners = set(field(self.partner_accounts(), "id"))
        return ids.where(ids.isin(partners), "")

    def _tiers(self, chosen: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        tier = field(chosen, "channelprogramlevelname")
        joined = pd.Series("", index=chosen.index)
        member, level = self.object("ChannelProgramMember"), self.object("ChannelProgramLevel")
        if member is not None and level is not None:
            names = dict(zip(field(level, "id"), field(level, "name")))
            latest = member.assign(_day=self.date(field(member, "createddate"))).sort_values("_day")
            by_partner = latest.groupby(field(latest, "partnerid"))
            level_of = by_partner.apply(
                lambda g: names.get(field(g, "levelid").iloc[-1], ""), include_groups=False
            )
            first = by_partner["_day"].min()
            ids = field(chosen, "id")
            tier = ids.map(level_of).fillna("").mask(lambda s: s.eq(""), tier)
            joined = ids.map(first).fillna("")
        return tier.mask(tier.eq(""), UNKNOWN), joined

    def _names(self, obj: str, ids: pd.Series) -> pd.Series:
        """Ids of `obj` records (User, RecordType) as their Name; an id not found stays as it is."""
        records = self.object(obj)
        if records is None:
            return ids
        names = dict(zip(field(records, "id"), field(records, "name")))
        return ids.map(lambda v: names.get(v, v))

    # -- opportunities

    def opportunities(self) -> pd.DataFrame:
        opp = self._with_account(self.object("Opportunity"))
        status = self._status(opp)
        closed_on = self.date(field(opp, "closedate")).where(status.ne("open"), "")
        amount = self.number(field(opp, "amount"))
        if amount.eq("").any():
            self.note(f"opportunities: {int(amount.eq('').sum())} without an Amount counted as 0")
        category, sku = self._products(opp)
        out = pd.DataFrame(
            {
                "opportunity_id": field(opp, "id"),
                "partner_id": self.stand_in_values() if self.stand_in else self._partner_of_deals(opp),
                "account_id": self.resolve(
                    field(opp, "accountid").mask(lambda s: s.eq(""), field(opp, "accountname"))
                ),
                "created_on": self.date(field(opp, "createddate")),
                "closed_on": closed_on,
                "status": status,
                "amount": amount.mask(amount.eq(""), "0"),
                "segment": UNKNOWN,
                "product_category": category,
                "sku": sku,
                "is_new_logo": self._new_logos(opp),
                "registration_id": self._registrations_of(field(opp, "id")),
                "mdf_request_id": self._fund_requests_of(field(opp, "campaignid")),
            },
            index=opp.index,
        )
        return self.finish("opportunities", out, opp, "Opportunity")

    def _partner_of_deals(self, opp: pd.DataFrame) -> pd.Series:
        """PartnerAccountId, else the partner named by the deal's OpportunityPartner rows."""
        own = self.resolve(field(opp, "partneraccountid"))
        links = self._partner_links()
        if links is None:
            return own
        chosen, ids = self._opportunity_partners(links), field(opp, "id")
        partner = ids.map(chosen["partner"]).fillna("")
        how = ids.map(chosen["how"]).fillna("")
        overridden = int((own.ne("") & partner.ne("") & own.ne(partner)).sum())
        self._note_opportunity_partners(how[own.eq("")], overridden)
        return own.mask(own.eq(""), partner)

    def _opportunity_partners(self, links: pd.DataFrame) -> pd.DataFrame:
        """Per opportunity id (the index): partner and how it was chosen: the primary row's account
        ("primary"), else the only account named ("only"); none when several ("several [primary]").
        Deleted rows are already out; `links` is `_partner_links()`."""
        # one row per (opportunity, account), primary when any of its rows is
        rows = links.sort_values("primary", ascending=False, kind="stable").drop_duplicates(
            ["opp", "account"]
        )
        has_primary = rows.groupby("opp")["primary"].any()
        candidates = rows[rows["primary"] | ~rows["opp"].map(has_primary)]
        count = candidates.groupby("opp").size()
        first = candidates.drop_duplicates("opp").set_index("opp")["account"]
        how = pd.Series("several", index=count.index, dtype=object).mask(count.eq(1), "only")
        how = how.mask(has_primary, how.map({"only": "primary", "several": "several primary"}))
        return pd.DataFrame({"partner": first.where(count.eq(1), ""), "how": how})

    def _note_opportunity_partners(self, how: pd.Series, overridden: int) -> None:
        counts = how.value_counts()
        parts = [
            f"{counts[key]} {text}"
            for key, text in (
                ("primary", "attributed through OpportunityPartner (primary row)"),
                ("only", "through OpportunityPartner (its only partner, not marked primary)"),
                ("several", "with several non-primary partners left without a partner"),
                ("several primary", "with several primary partners left without a partner"),
            )
            if counts.get(key, 0)
        ]
        if overridden:
            parts.append(f"{overridden} kept PartnerAccountId over another partner in OpportunityPartner")
        if parts:
            self.note(f"opportunities: {', '.join(parts)}")

    def _with_account(self, opp: pd.DataFrame) -> pd.DataFrame:
        """Opportunity rows with their Account's fields as account.<field> (for mappings)."""
        account = self.object("Account")
        fields = account.set_index(field(account, "id")).add_prefix("account.")
        fields = fields[~fields.index.duplicated()].reindex(field(opp, "accountid").values).fillna("")
        out = pd.concat([opp, fields.set_axis(opp.index)], axis=1)
        out.attrs.update(opp.attrs)
        return out

    def _status(self, opp: pd.DataFrame) -> pd.Series:
        stage = field(opp, "stagename")
        if field(opp, "isclosed").ne("").any():
            won, closed = cells.truth(field(opp, "iswon")), cells.truth(field(opp, "isclosed"))
            status = pd.Series("open", index=opp.index).mask(closed, "lost").mask(won, "won")
        elif self.object("OpportunityStage") is not None:
            status = self._stage_table(stage)
        else:
            status = stage_by_name(stage)
            self.note(
                "opportunities: no IsClosed/IsWon; won, lost and open read from StageName "
                "(override in a mapping: stages)"
            )
        return _stage_overrides(stage, status, self.spec.get("stages") or {})

    def _stage_table(self, stage: pd.Series) -> pd.Series:
        table = self.object("OpportunityStage")
        names = field(table, "masterlabel").mask(lambda s: s.eq(""), field(table, "apiname")).str.lower()
        kinds = (
            pd.Series("open", index=table.index)
            .mask(cells.truth(field(table, "isclosed")), "lost")
            .mask(cells.truth(field(table, "iswon")), "won")
        )
        known = dict(zip(names, kinds))
        return stage.map(lambda s: known.get(s.lower(), "")).mask(lambda s: s.eq(""), stage_by_name(stage))

    def _new_logos(self, opp: pd.DataFrame) -> pd.Series:
        kind = field(opp, "type")
        if kind.ne("").any():
            new = kind.str.contains(r"new (?:customer|business|logo|account)|^new$", case=False, regex=True)
            return new.map({True: "true", False: "false"})
        self.note(
            "opportunities: no Opportunity Type; is_new_logo left empty (new_logos is derived "
            "from account history)"
        )
        return pd.Series("", index=opp.index)

    def _products(self, opp: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
        """Product2.Family and SKU (StockKeepingUnit, else ProductCode) of each deal's largest line."""
        lines, product = self.object("OpportunityLineItem"), self.object("Product2")
        if lines is None:
            return pd.Series(UNKNOWN, index=opp.index), pd.Series(UNKNOWN, index=opp.index)
        total = self.amounts(lines, "totalprice", "OpportunityLineItem")
        main = (
            lines.assign(_total=total)
            .sort_values("_total", ascending=False, kind="stable")
            .drop_duplicates("opportunityid")
            .set_index("opportunityid")
        )
        family, sku = pd.Series("", index=main.index), field(main, "productcode")
        if product is not None:
            by_id = product.set_index(field(product, "id"))
            code = field(by_id, "stockkeepingunit").mask(lambda c: c.eq(""), field(by_id, "productcode"))
            pid = field(main, "product2id")
            family = pid.map(field(by_id, "family")).fillna("")
            sku = pid.map(code).fillna("").mask(lambda c: c.eq(""), sku)
        ids = field(opp, "id")
        return (ids.map(family).fillna("").replace("", UNKNOWN), ids.map(sku).fillna("").replace("", UNKNOWN))

    def _registrations_of(self, ids: pd.Series) -> pd.Series:
        lead = self.object("Lead")
        if lead is None:
            return pd.Series("", index=ids.index)
        is_reg = self.is_registration(lead)
        conv = dict(zip(field(lead, "convertedopportunityid")[is_reg], field(lead, "id")[is_reg]))
        conv.pop("", None)
        return ids.map(lambda i: conv.get(i, ""))

    def _fund_requests_of(self, campaigns: pd.Series) -> pd.Series:
        fund = self.object("PartnerFundRequest")
        if fund is None:
            return pd.Series("", index=campaigns.index)
        table = dict(zip(field(fund, "campaignid"), field(fund, "id")))
        table.pop("", None)
        return campaigns.map(lambda c: table.get(c, ""))

    # -- leads and deal registrations

    def is_registration(self, lead: pd.DataFrame) -> pd.Series:
        rules = self.spec.get("deal_registrations") or {}
        kinds = self._names("RecordType", field(lead, "recordtypeid"))
        wanted = {str(v).lower() for v in rules.get("record_types", [])}
        by_type = (
            (kinds.str.lower().isin(wanted) | field(lead, "recordtypeid").str.lower().isin(wanted))
            if wanted
            else kinds.str.contains(r"deal.?reg", case=False, regex=True)
        )
        sources = {str(v).lower() for v in rules.get("lead_sources", DEAL_REG_SOURCES)}
        return by_type | field(lead, "leadsource").str.lower().isin(sources)

    def leads(self) -> dict[str, pd.DataFrame]:
        lead = self.object("Lead")
        if lead is None:
            return {}
        partner = (
            field(lead, self.stand_in.lower())
            if self.stand_in and self.stand_in.lower() in lead.columns
            else self.resolve(field(lead, "partneraccountid"))
        )
        if partner.eq("").all():
            self.note(
                f"leads, deal_registrations: absent ({self.file('Lead')} has no PartnerAccountId "
                "set, so no lead can be given to a partner)"
            )
            return {}
        if partner.eq("").any():
            self.note(
                f"{self.file('Lead')}: {int(partner.eq('').sum())} lead(s) without a partner "
                "(our own leads) not imported"
            )
        registration = self.is_registration(lead)
        reg, mine = registration & partner.ne(""), ~registration & partner.ne("")
        return {
            "deal_registrations": self._registrations(lead[reg], partner[reg]),
            "leads": self._leads(lead[mine], partner[mine]),
        }

    def _registrations(self, lead: pd.DataFrame, partner: pd.Series) -> pd.DataFrame:
        opp = self.extract.frames["opportunities"]
        amounts = dict(zip(opp["opportunity_id"], opp["amount"]))
        converted = field(lead, "convertedopportunityid")
        state = field(lead, "approval_status__c").mask(lambda s: s.eq(""), field(lead, "status"))
        status = (
            pd.Series("submitted", index=lead.index)
            .mask(state.str.contains(r"approv|accept|qualified", case=False), "approved")
            .mask(state.str.contains(r"reject|declin|disqual|unqualif|not convert", case=False), "rejected")
            .mask(state.str.contains(r"expir", case=False), "expired")
            .mask(cells.truth(field(lead, "isconverted")), "converted")
        )
        out = pd.DataFrame(
            {
                "registration_id": field(lead, "id"),
                "partner_id": partner,
                "submitted_on": self.date(field(lead, "createddate")),
                "status": status,
                "amount": converted.map(lambda o: amounts.get(o, "0")),
                "opportunity_id": converted,
            },
            index=lead.index,
        )
        if len(out):
            self.note(
                "deal_registrations: amount = the converted opportunity's Amount, 0 before "
                "conversion (name a field in a mapping: tables.deal_registrations.columns.amount)"
            )
        return self.finish("deal_registrations", out, lead, "Lead")

    def _leads(self, lead: pd.DataFrame, partner: pd.Series) -> pd.DataFrame:
        state = field(lead, "status")
        status = (
            pd.Series("new", index=lead.index)
            .mask(state.str.contains(r"work|contact|accept|qualified|progress", case=False), "accepted")
            .mask(state.str.contains(r"not contacted|^open\b|^new\b", case=False), "new")
            .mask(
                state.str.contains(r"reject|declin|disqual|unqualif|not convert|junk", case=False), "rejected"
            )
            .mask(cells.truth(field(lead, "isconverted")), "converted")
        )
        distributed = field(lead, "lasttransferdate").mask(lambda s: s.eq(""), field(lead, "createddate"))
        out = pd.DataFrame(
            {
                "lead_id": field(lead, "id"),
                "partner_id": partner,
                "distributed_on": self.date(distributed),
                "status": status,
                "converted_opportunity_id": field(lead, "convertedopportunityid"),
            },
            index=lead.index,
        )
        return self.finish("leads", out, lead, "Lead")

    # -- webinars and events

    def engagements(self) -> dict[str, pd.DataFrame]:
        campaign, member = self.object("Campaign"), self.object("CampaignMember")
        if campaign is None or member is None:
            return {}
        contact = self.object("Contact")
        if contact is None:
            self.note("engagements: absent (no Contact.csv to tell which partner each attendee works for)")
            return {}
        accounts = dict(zip(field(contact, "id"), field(contact, "accountid")))
        partner = self.partner_of_accounts(field(member, "contactid").map(lambda c: accounts.get(c, "")))
        info = campaign.set_index(field(campaign, "id"))
        cid = field(member, "campaignid")
        kind = cid.map(field(info, "type")).fillna("").map(engagement_kind)
        attended = cells.truth(field(member, "hasresponded")) | field(member, "status").str.contains(
            r"attend|respond|complet|particip", case=False
        )
        keep = attended & kind.ne("") & partner.ne("")
        start = cid.map(field(info, "startdate")).fillna("")
        day = start.mask(start.eq(""), field(member, "firstrespondeddate"))
        out = pd.DataFrame(
            {
                "engagement_id": field(member, "id"),
                "partner_id": partner,
                "contact_id": field(member, "contactid"),
                "kind": kind,
                "name": cid.map(field(info, "name")).fillna(""),
                "occurred_on": self.date(day),
            },
            index=member.index,
        )[keep]
        self.note(
            f"engagements: {int(keep.sum())} of {len(member)} campaign members attended a webinar, "
            "training or event as a partner's contact (others: not attended, another campaign "
            "type, or not a partner's contact)"
        )
        return {"engagements": self.finish("engagements", out, member[keep], "CampaignMember")}

    # -- market development funds

    def mdf(self) -> dict[str, pd.DataFrame]:
        fund = self.object("PartnerFundRequest")
        if fund is None:
            return {}
        claims = self.object("PartnerFundClaim")
        claimed = paid = pd.Series(dtype=float)
        if claims is not None:
            amount = self.amounts(claims, "amount", "PartnerFundClaim")
            state = field(claims, "status").str.lower()
            live = ~state.isin(["draft", "rejected"])
            claimed = amount[live].groupby(field(claims, "requestid")[live]).sum()
            paid = amount[state.eq("paid")].groupby(field(claims, "requestid")[state.eq("paid")]).sum()
        ids, state = field(fund, "id"), field(fund, "status").str.lower()
        approved = self.number(field(fund, "amount")).where(state.isin(["approved", "paid", "claimed"]), "0")
        status = state.mask(ids.isin(claimed.index), "claimed").mask(ids.isin(paid.index), "paid")
        out = pd.DataFrame(
            {
                "request_id": ids,
                "partner_id": field(fund, "channelpartnerid"),
                "requested_on": self.date(field(fund, "createddate")),
                "activity": field(fund, "activity").mask(lambda s: s.eq(""), field(fund, "title")),
                "amount_requested": self.number(field(fund, "requestedamount")),
                "amount_approved": approved.mask(approved.eq(""), "0"),
                "amount_claimed": ids.map(claimed).fillna(0).map(_num),
                "amount_paid": ids.map(paid).fillna(0).map(_num),
                "status": status,
                "claim_deadline": self._budget_ends(fund),
            },
            index=fund.index,
        )
        return {"mdf": self.finish("mdf", out, fund, "PartnerFundRequest")}

    def _budget_ends(self, rows: pd.DataFrame) -> pd.Series:
        """The EndDate of each row's PartnerMarketingBudget (through BudgetId, else through its
        allocation's BudgetId): the last day to claim its funds; empty without a budget."""
        budget = self.object("PartnerMarketingBudget")
        if budget is None:
            return pd.Series("", index=rows.index)
        ends = dict(zip(field(budget, "id"), self.date(field(budget, "enddate"))))
        via = field(rows, "budgetid")
        allocation = self.object("PartnerFundAllocation")
        if allocation is not None and "allocationid" in rows.columns:
            of_allocation = dict(zip(field(allocation, "id"), field(allocation, "budgetid")))
            via = via.mask(via.eq(""), field(rows, "allocationid").map(lambda a: of_allocation.get(a, "")))
        return via.map(lambda b: ends.get(b, ""))

    def mdf_allocations(self) -> dict[str, pd.DataFrame]:
        """PartnerFundAllocation: the funds given to each partner, claimable until its budget ends."""
        allocation = self.object("PartnerFundAllocation")
        if allocation is None:
            return {}
        out = pd.DataFrame(
            {
                "allocation_id": field(allocation, "id"),
                "partner_id": self.resolve(field(allocation, "channelpartnerid")),
                "allocated_on": self.date(field(allocation, "createddate")),
                "amount": self.number(field(allocation, "amount")),
                "claim_deadline": self._budget_ends(allocation),
            },
            index=allocation.index,
        )
        return {"mdf_allocations": self.finish("mdf_allocations", out, allocation, "PartnerFundAllocation")}

    # -- partner contacts

    def contacts(self) -> dict[str, pd.DataFrame]:
        """Contacts of partner accounts that have an e-mail address (the people partner editions
        are delivered to): Id, the partner, Name (else FirstName LastName), Email, Title as role."""
        contact = self.object("Contact")
        if contact is None:
            return {}
        partner = self.partner_of_accounts(self.resolve(field(contact, "accountid")))
        email = field(contact, "email").str.strip()
        keep = partner.ne("") & email.ne("")
        if "hasoptedoutofemail" in contact.columns:
            keep &= ~cells.truth(field(contact, "hasoptedoutofemail"))
        rows = contact[keep]
        name = field(rows, "name")
        whole = (field(rows, "firstname") + " " + field(rows, "lastname")).str.strip()
        out = pd.DataFrame(
            {
                "contact_id": field(rows, "id"),
                "partner_id": partner[keep],
                "name": name.mask(name.eq(""), whole),
                "email": email[keep],
                "role": field(rows, "title"),
            },
            index=rows.index,
        )
        self.note(
            f"contacts: {len(out)} contact(s) of partner accounts with an e-mail address of "
            f"{len(contact)} in {self.file('Contact')} (opted out of e-mail: left out)"
        )
        return {"contacts": self.finish("contacts", out, rows, "Contact")}

    # -- portal logins

    def portal_activity(self) -> dict[str, pd.DataFrame]:
        logins, user = self.object("LoginHistory"), self.object("User")
        if logins is None:
            return {}
        if user is None:
            self.note(
                "portal_activity: absent (LoginHistory.csv without User.csv: logins cannot be "
                "given to partners)"
            )
            return {}
        account = dict(zip(field(user, "id"), field(user, "accountid")))
        uid = field(logins, "userid")
        partner = self.partner_of_accounts(uid.map(lambda u: account.get(u, "")))
        ok = field(logins, "status").str.lower().isin(["", "success"]) & partner.ne("")
        days = pd.DataFrame(
            {"partner_id": partner, "contact_id": uid, "day": self.date(field(logins, "logintime"))}
        )[ok]
        out = (
            days.groupby(["partner_id", "contact_id", "day"], as_index=False)
            .size()
            .rename(columns={"size": "logins"})
            .astype({"logins": str})
        )
        out.index = pd.RangeIndex(2, len(out) + 2, name="row")
        self.note(
            f"portal_activity: {int(ok.sum())} successful partner-user logins of {len(logins)} in "
            f"{self.file('LoginHistory')}, counted per user per day"
        )
        self.extract.files["portal_activity"] = self.file("LoginHistory")
        return {"portal_activity": out}

    # -- custom objects

    def custom_tables(self) -> None:
        """Tables the mapping reads from other files (trials, business plans ...)."""
        for name, table in (self.spec.get("tables") or {}).items():
            if "file" not in table:
                continue
            frame = self.reader.get(table["file"], f"{self.where}: tables.{name}.file")
            frame = frame.apply(cells.salesforce_id)
            self.extract.frames[name] = build(
                name,
                frame,
                table["columns"],
                f"{self.where}: tables.{name}.columns",
                self.reader.get,
                self.locale,
            )
            self.extract.files[name] = self.reader.name(table["file"])


# ---------------------------------------------------------------- rules as functions


def field(frame: pd.DataFrame, name: str) -> pd.Series:
    """A field by lower-case API name; all "" when the export lacks it."""
    if name in frame.columns:
        return frame[name].astype(object).where(frame[name].notna(), "").astype(str).str.strip()
    return pd.Series("", index=frame.index, dtype=object)


def stage_by_name(stage: pd.Series) -> pd.Series:
    """won/lost/open from stage names alone: 'Closed Won' won, 'Closed Lost' or 'Lost' lost."""
    low = stage.str.lower()
    return (
        pd.Series("open", index=stage.index)
        .mask(low.str.contains(r"\blost\b|dead|cancel|disqualif|closed", regex=True), "lost")
        .mask(low.str.contains(r"\bwon\b|closed won|signed", regex=True), "won")
    )


def _stage_overrides(stage: pd.Series, status: pd.Series, stages: dict) -> pd.Series:
    for kind in ("open", "lost", "won"):
        names = {str(s).strip().lower() for s in stages.get(kind, [])}
        status = status.mask(stage.str.lower().isin(names), kind)
    return status


def engagement_kind(kind: str) -> str:
    """Campaign Type to an engagement kind ('' for campaigns that are not attended)."""
    low = kind.lower()
    for pattern, name in (
        (r"webinar|webcast|virtual", "webinar"),
        (r"certif", "certification"),
        (r"train|course|enable|workshop", "training"),
        (r"conference|trade show|event|seminar|in.person|summit|meetup", "in_person_event"),
    ):
        if re.search(pattern, low):
            return name
    return ""


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")

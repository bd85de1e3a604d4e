/*
 * registry.c -- the names a template can use (see registry.h).
 *
 * One entry per value, table and figure of the dataset contract
 * (DATASET.md). A module that publishes a new name adds it here; a run's
 * ng_registry_check() fails on a name that is missing, and the e2e test
 * tests/e2e_templates_readme.sh fails when templates/README.md is not
 * regenerated from this list (`notatgen templates --markdown`).
 */
#include "notatgen/registry.h"

#include <ctype.h>
#include <string.h>

#define COLS(...) ((const ng_reg_column[]){__VA_ARGS__, {NULL, NG_UNIT_TEXT}})

/* The eight tier columns shared by opfoelgning_maaned and refusion_aar. */
#define TIER_COLUMNS                                                                               \
    {"antal_25", NG_UNIT_ANTAL}, {"udgift_25", NG_UNIT_MIO}, {"antal_50", NG_UNIT_ANTAL},          \
        {"udgift_50", NG_UNIT_MIO}, {"antal_75", NG_UNIT_ANTAL}, {"udgift_75", NG_UNIT_MIO},       \
        {"antal_total", NG_UNIT_ANTAL},                                                            \
    {                                                                                              \
        "udgift_total", NG_UNIT_MIO                                                                \
    }

#define VALUE(name, unit, module, description)                                                     \
    {                                                                                              \
        NG_REG_VALUE, name, unit, module, description, NULL, NULL                                  \
    }
#define TABLE(name, module, description, cols)                                                     \
    {                                                                                              \
        NG_REG_TABLE, name, NG_UNIT_TEXT, module, description, cols, NULL                          \
    }
#define FIGURE(name, table, module, description)                                                   \
    {                                                                                              \
        NG_REG_FIGURE, name, NG_UNIT_TEXT, module, description, NULL, table                        \
    }

/* Short sheet names for the bilag: a title cut to Excel's 31 characters reads
 * badly, so every registered table has a name of its own here. */
static const struct {
    const char *table, *sheet;
} sheet_names[] = {
    {"taerskler", "Refusionsgrænser"},
    {"refusion_per_trin", "Refusion pr. trin"},
    {"andel_50_75", "Andel 50 og 75 pct."},
    {"udgiftsintervaller", "Udgiftsintervaller"},
    {"omraader", "Områder"},
    {"aldersgrupper", "Aldersgrupper"},
    {"maalgrupper", "Målgrupper"},
    {"leverandoertyper", "Leverandørtyper"},
    {"kommuner", "Kommuner pr. 1.000"},
    {"opfoelgning_maaned", "Månedlig opfølgning"},
    {"refusion_aar", "Refusion pr. år"},
    {"budgetoverslag", "Budgetoverslag"},
    {"initiativer_investering", "Investering"},
    {"initiativer_effekt", "Effekt"},
    {"initiativer_netto", "Nettoeffekt"},
    {"fingerplan", "Fingerplan"},
    {"sde_udvikling", "Særligt dyre sager"},
    {"prognose", "Prognose"},
    {"prognose_mod_faktisk", "Prognose mod faktisk"},
    {"initiativer_linjer", "Initiativer"},
    {"sde_aar", "Særligt dyre sager pr. år"},
    {"refusionsbudget", "Refusionsbudget"},
    {"refusion_aconto", "A'conto"},
};

const char *ng_registry_sheet_name(const char *table_name)
{
    for (size_t i = 0; i < sizeof sheet_names / sizeof *sheet_names; i++)
        if (!strcmp(sheet_names[i].table, table_name))
            return sheet_names[i].sheet;
    return NULL;
}

static const ng_reg_entry entries[] = {
    /* ---- refusion (refusion.c / sde.c) ---- */
    VALUE("aar", NG_UNIT_AAR, "refusion", "Året notatet handler om"),
    VALUE("udtraek_dato", NG_UNIT_DATO, "refusion", "Udtrækkets dato"),
    VALUE("kommune", NG_UNIT_TEXT, "kørsel", "Kommunens navn ([kommune] navn)"),
    VALUE("t1", NG_UNIT_KR, "refusion", "Refusionsgrænse for 25 pct. refusion i året (kr.)"),
    VALUE("t2", NG_UNIT_KR, "refusion", "Refusionsgrænse for 50 pct. refusion i året (kr.)"),
    VALUE("t3", NG_UNIT_KR, "refusion", "Refusionsgrænse for 75 pct. refusion i året (kr.)"),
    VALUE("refusion_i_alt", NG_UNIT_KR, "refusion",
          "Refusion i alt for sager omfattet af ordningen"),
    VALUE("antal_i_alt", NG_UNIT_ANTAL, "refusion", "Antal sager omfattet af refusionsordningen"),
    VALUE("udgift_i_alt", NG_UNIT_KR, "refusion", "Udgift i alt for sager omfattet af ordningen"),
    VALUE("andel_udgift_50_75", NG_UNIT_PCT, "refusion",
          "Sager med 50 og 75 pct. refusion: andel af udgiften"),
    VALUE("andel_antal_50_75", NG_UNIT_PCT, "refusion",
          "Sager med 50 og 75 pct. refusion: andel af antallet af sager"),
    VALUE("uafklarede_67", NG_UNIT_ANTAL, "refusion",
          "Sager med borgere over 67 år, hvor det ikke kan afgøres, om de er omfattet"),
    TABLE("taerskler", "refusion", "Refusionsgrænser for året",
          COLS({"beskrivelse", NG_UNIT_TEXT}, {"graense", NG_UNIT_KR},
               {"bemaerkning", NG_UNIT_TEXT})),
    TABLE("refusion_per_trin", "refusion",
          "Sager på voksenområdet omfattet af ordningen, fordelt på refusionstrin",
          COLS({"trin", NG_UNIT_ANTAL}, {"antal", NG_UNIT_ANTAL}, {"udgift", NG_UNIT_MIO},
               {"refusion", NG_UNIT_MIO})),
    TABLE("andel_50_75", "refusion",
          "Sager med 50 og 75 pct. refusion: antal, udgift og andele (række voksen)",
          COLS({"beskrivelse", NG_UNIT_TEXT}, {"antal_50_75", NG_UNIT_ANTAL},
               {"antal_i_alt", NG_UNIT_ANTAL}, {"andel_antal", NG_UNIT_PCT},
               {"udgift_50_75", NG_UNIT_MIO}, {"udgift_i_alt", NG_UNIT_MIO},
               {"andel_udgift", NG_UNIT_PCT})),
    TABLE("udgiftsintervaller", "refusion",
          "Alle sager over første udgiftsinterval, fordelt på interval",
          COLS({"interval", NG_UNIT_TEXT}, {"antal", NG_UNIT_ANTAL}, {"udgift", NG_UNIT_MIO})),
    TABLE("omraader", "refusion", "Sager omfattet af ordningen, fordelt på område",
          COLS({"omraade", NG_UNIT_TEXT}, {"antal", NG_UNIT_ANTAL}, {"udgift", NG_UNIT_MIO},
               {"refusion", NG_UNIT_MIO})),
    TABLE("aldersgrupper", "refusion", "Sager omfattet af ordningen, fordelt på aldersgruppe",
          COLS({"aldersgruppe", NG_UNIT_TEXT}, {"antal", NG_UNIT_ANTAL}, {"udgift", NG_UNIT_MIO},
               {"refusion", NG_UNIT_MIO})),
    TABLE("maalgrupper", "refusion", "Sager omfattet af ordningen, fordelt på målgruppe",
          COLS({"maalgruppe", NG_UNIT_TEXT}, {"antal", NG_UNIT_ANTAL}, {"udgift", NG_UNIT_MIO},
               {"refusion", NG_UNIT_MIO})),
    TABLE("leverandoertyper", "refusion", "Sager omfattet af ordningen, fordelt på leverandørtype",
          COLS({"leverandoertype", NG_UNIT_TEXT}, {"antal", NG_UNIT_ANTAL}, {"udgift", NG_UNIT_MIO},
               {"refusion", NG_UNIT_MIO})),
    TABLE("kommuner", "refusion", "Sager pr. 1.000 indbyggere pr. kommune (kun med befolkningsfil)",
          COLS({"kommune", NG_UNIT_TEXT}, {"antal", NG_UNIT_ANTAL}, {"indbyggere", NG_UNIT_ANTAL},
               {"pr_1000", NG_UNIT_ANTAL})),

    /* ---- history (history.c / bridge.c) ---- */
    VALUE("forrige_opfoelgning_dato", NG_UNIT_DATO, "historik", "Datoen for sidste opfølgning"),
    VALUE("tilgang_antal", NG_UNIT_ANTAL, "historik", "Nye sager siden sidste opfølgning"),
    VALUE("afgang_antal", NG_UNIT_ANTAL, "historik", "Afsluttede sager siden sidste opfølgning"),
    VALUE("tilgang_udgift", NG_UNIT_KR, "historik", "Nye sagers udgift nu"),
    VALUE("afgang_udgift", NG_UNIT_KR, "historik",
          "Afsluttede sagers udgift ved sidste opfølgning"),
    VALUE("aendring_tilgang_afgang_udgift", NG_UNIT_KR, "historik",
          "Ændring i udgiften fra tilgang og afgang (tilgang_udgift minus afgang_udgift)"),
    VALUE("aendring_eksisterende_udgift", NG_UNIT_KR, "historik",
          "Ændring i udgiften til eksisterende sager"),
    VALUE("aendring_udgift", NG_UNIT_KR, "historik",
          "Samlet ændring i udgiften siden sidste opfølgning"),
    VALUE("stigning_antal_50_75", NG_UNIT_ANTAL, "historik",
          "Ændring i antal sager med 50 og 75 pct. refusion fra første til sidste år"),
    VALUE("stigning_udgift_50_75", NG_UNIT_KR, "historik",
          "Ændring i udgiften til sager med 50 og 75 pct. refusion fra første til sidste år"),
    VALUE("foerste_aar", NG_UNIT_AAR, "historik", "Første år i tabellen refusion_aar"),
    VALUE("sidste_aar", NG_UNIT_AAR, "historik", "Sidste år i tabellen refusion_aar"),
    TABLE("opfoelgning_maaned", "historik",
          "Antal sager og udgift pr. refusionstrin ved hver opfølgning i året",
          COLS({"maaned", NG_UNIT_TEXT}, TIER_COLUMNS)),
    TABLE("refusion_aar", "historik", "Antal sager og udgift pr. refusionstrin pr. år",
          COLS({"aar", NG_UNIT_AAR}, TIER_COLUMNS)),
    FIGURE("refusion_aar_figur", "refusion_aar", "historik",
           "Stablede søjler: udgift pr. refusionstrin pr. år"),

    /* ---- refusion income budget (refusionsbudget.c) ---- */
    VALUE("refusionsbudget", NG_UNIT_KR, "refusionsbudget", "Årets budgetterede refusionsindtægt"),
    VALUE("refusion_merindtaegt", NG_UNIT_KR, "refusionsbudget",
          "Forventet refusion minus budget (negativ: mindreindtægt)"),
    VALUE("refusion_opgoerelse_dato", NG_UNIT_DATO, "refusionsbudget",
          "Frist for den endelige opgørelse (15. maj året efter)"),
    TABLE("refusionsbudget", "refusionsbudget",
          "Refusionsindtægter: budget, forventet indtægt og mer-/mindreindtægt pr. fagområde",
          COLS({"fagomraade", NG_UNIT_TEXT}, {"andel", NG_UNIT_PCT}, {"budget", NG_UNIT_MIO},
               {"beregnet", NG_UNIT_MIO}, {"difference", NG_UNIT_MIO}, {"model", NG_UNIT_TEXT},
               {"til_fagomraadet", NG_UNIT_MIO}, {"til_kassen", NG_UNIT_MIO})),
    TABLE("refusion_aconto", "refusionsbudget", "Kvartalsvis a'conto-hjemtagelse af refusion",
          COLS({"kvartal", NG_UNIT_TEXT}, {"aconto", NG_UNIT_MIO})),

    /* ---- forecast, initiatives, budget ---- */
    TABLE("budgetoverslag", "budget", "Budgetoverslag med merforbrug og gæld",
          COLS({"post", NG_UNIT_TEXT}, {"tekst", NG_UNIT_TEXT}, {"####", NG_UNIT_MIO})),
    FIGURE("budgetoverslag_figur", "budgetoverslag", "budget",
           "Linjer: budget og forventet forbrug med og uden initiativer"),
    VALUE("budget_foerste_aar", NG_UNIT_AAR, "budget", "Budgetoverslagets første år"),
    VALUE("budget_sidste_aar", NG_UNIT_AAR, "budget", "Budgetoverslagets sidste år"),
    VALUE("budget_primo_aar", NG_UNIT_AAR, "budget", "Året, gælden overføres fra"),
    VALUE("budget_gaeld_primo", NG_UNIT_MIO, "budget",
          "Gæld overført fra året før budgetoverslaget"),
    VALUE("budget_merforbrug_foer_sdes_foerste", NG_UNIT_MIO, "budget",
          "Merforbrug i første år før merindtægt vedr. særligt dyre sager"),
    VALUE("budget_merforbrug_inkl_gaeld_foerste", NG_UNIT_MIO, "budget",
          "Merforbrug i første år før merindtægt, med overført gæld"),
    VALUE("budget_afboedning_sidste", NG_UNIT_MIO, "budget",
          "Initiativernes samlede afbødning af udgiften i sidste år (udgift før SØP - udgift inkl. "
          "alt)"),
    VALUE("budget_*_foerste", NG_UNIT_MIO, "budget",
          "En række i budgetoverslaget i første år (budget_gaeld_foerste, ...)"),
    VALUE("budget_*_sidste", NG_UNIT_MIO, "budget",
          "En række i budgetoverslaget i sidste år (budget_gaeld_sidste, ...)"),

    TABLE("initiativer_investering", "initiativer", "Investering pr. initiativ pr. år",
          COLS({"initiativ", NG_UNIT_TEXT}, {"####", NG_UNIT_MIO})),
    TABLE("initiativer_effekt", "initiativer", "Effekt pr. initiativ pr. år",
          COLS({"initiativ", NG_UNIT_TEXT}, {"####", NG_UNIT_MIO})),
    TABLE("initiativer_netto", "initiativer",
          "Netto pr. initiativ pr. år (positiv = merudgift, negativ = besparelse)",
          COLS({"initiativ", NG_UNIT_TEXT}, {"####", NG_UNIT_MIO})),
    TABLE("initiativer_linjer", "initiativer",
          "Alle initiativers poster med provenu pr. initiativ og i alt",
          COLS({"linje", NG_UNIT_TEXT}, {"type", NG_UNIT_TEXT}, {"####", NG_UNIT_MIO})),
    TABLE("initiativ_*", "initiativer", "Et initiativs poster (initiativ_1, initiativ_2, ...)",
          COLS({"linje", NG_UNIT_TEXT}, {"type", NG_UNIT_TEXT}, {"####", NG_UNIT_MIO})),
    FIGURE("initiativer_figur", "initiativer_netto", "initiativer",
           "Søjler: nettoeffekt pr. initiativ pr. år"),
    VALUE("initiativer_antal", NG_UNIT_ANTAL, "initiativer", "Antal initiativer"),
    VALUE("initiativer_foerste_aar", NG_UNIT_AAR, "initiativer", "Første år i initiativfilen"),
    VALUE("initiativer_sidste_aar", NG_UNIT_AAR, "initiativer", "Sidste år i initiativfilen"),
    VALUE("initiativ_*_navn", NG_UNIT_TEXT, "initiativer",
          "Et initiativs navn (initiativ_1_navn, ...)"),
    VALUE(
        "initiativer_*_i_alt_sidste", NG_UNIT_MIO, "initiativer",
        "Investering, effekt eller netto i alt i sidste år (initiativer_netto_i_alt_sidste, ...)"),
    VALUE("initiativer_*_i_alt_####", NG_UNIT_MIO, "initiativer",
          "Investering, effekt eller netto i alt i et år (initiativer_netto_i_alt_2025, ...)"),
    TABLE("fingerplan", "initiativer", "Fingerplanens initiativer med økonomisk effekt pr. år",
          COLS({"nr", NG_UNIT_TEXT}, {"titel", NG_UNIT_TEXT}, {"####", NG_UNIT_TKR})),
    VALUE("fingerplan_foerste_aar", NG_UNIT_AAR, "initiativer", "Fingerplanens første år"),
    VALUE("fingerplan_sidste_aar", NG_UNIT_AAR, "initiativer", "Fingerplanens sidste år"),
    VALUE("fingerplan_afboedning_sidste", NG_UNIT_TKR, "initiativer",
          "Fingerplanens afbødning af udgiften i sidste år (positiv = mindreudgift)"),
    VALUE("fingerplan_i_alt_*", NG_UNIT_TKR, "initiativer",
          "Fingerplanens samlede effekt i et år (fingerplan_i_alt_2027, ...)"),

    TABLE("sde_udvikling", "prognose", "Særligt dyre enkeltsager pr. udgiftsinterval pr. år",
          COLS({"post", NG_UNIT_TEXT}, {"####", NG_UNIT_ANTAL})),
    TABLE("sde_aar", "prognose", "Særligt dyre enkeltsager pr. år: antal, udgift og udgift pr. sag",
          COLS({"aar", NG_UNIT_AAR}, {"antal", NG_UNIT_ANTAL}, {"udgift", NG_UNIT_MIO},
               {"udgift_pr_sag", NG_UNIT_MIO})),
    VALUE("sde_foerste_aar", NG_UNIT_AAR, "prognose",
          "Første år i historikken over særligt dyre sager"),
    VALUE("sde_sidste_aar", NG_UNIT_AAR, "prognose",
          "Sidste år i historikken over særligt dyre sager"),
    VALUE("sde_antal_foerste", NG_UNIT_ANTAL, "prognose", "Antal særligt dyre sager det første år"),
    VALUE("sde_antal_sidste", NG_UNIT_ANTAL, "prognose", "Antal særligt dyre sager det sidste år"),
    VALUE("sde_udgift_foerste", NG_UNIT_MIO, "prognose",
          "Udgifter til særligt dyre sager det første år (løbende priser)"),
    VALUE("sde_udgift_sidste", NG_UNIT_MIO, "prognose",
          "Udgifter til særligt dyre sager det sidste år (løbende priser)"),
    VALUE("sde_stigning_antal_pct", NG_UNIT_PCT, "prognose",
          "Stigning i antal særligt dyre sager fra første til sidste år"),
    VALUE("sde_udgift_pr_sag_sidste", NG_UNIT_MIO, "prognose",
          "Gennemsnitlig udgift pr. sag det sidste år"),
    TABLE("prognose", "prognose", "Prognose for antal sager og udgift (vækst og lineær trend)",
          COLS({"aar", NG_UNIT_AAR}, {"antal_vaekst", NG_UNIT_ANTAL},
               {"udgift_vaekst", NG_UNIT_MIO}, {"antal_trend", NG_UNIT_ANTAL},
               {"udgift_trend", NG_UNIT_MIO})),
    VALUE("prognose_vaekst_pct", NG_UNIT_PCT, "prognose",
          "Gennemsnitlig årlig vækst i antal sager i prognosens vindue"),
    VALUE("prognose_udgift_pr_sag", NG_UNIT_MIO, "prognose",
          "Gennemsnitlig udgift pr. sag i prognosen"),
    VALUE("prognose_basisaar", NG_UNIT_AAR, "prognose", "Sidste år med faktiske tal før prognosen"),
    VALUE("prognose_vindue_start", NG_UNIT_AAR, "prognose", "Første år i vækstratens vindue"),
    VALUE("prognose_slutaar", NG_UNIT_AAR, "prognose", "Prognosens sidste år"),
    VALUE("prognose_antal_slut", NG_UNIT_ANTAL, "prognose",
          "Antal sager i prognosens sidste år (vækstmetoden)"),
    VALUE("prognose_udgift_slut", NG_UNIT_MIO, "prognose",
          "Udgifter i prognosens sidste år (vækstmetoden)"),
    VALUE("prognose_prisaar", NG_UNIT_AAR, "prognose", "Prisniveau for prognosens udgifter"),
    VALUE("prognose_metode", NG_UNIT_TEXT, "prognose", "Prognosens metode og forudsætninger"),
    TABLE("prognose_mod_faktisk", "prognose", "Prognose sammenholdt med den faktiske udvikling",
          COLS({"aar", NG_UNIT_AAR}, {"prognose_antal", NG_UNIT_ANTAL},
               {"faktisk_antal", NG_UNIT_ANTAL}, {"afvigelse_antal", NG_UNIT_ANTAL},
               {"afvigelse_antal_pct", NG_UNIT_PCT}, {"prognose_udgift", NG_UNIT_MIO},
               {"faktisk_udgift", NG_UNIT_MIO}, {"afvigelse_udgift", NG_UNIT_MIO},
               {"afvigelse_udgift_pct", NG_UNIT_PCT})),
    FIGURE("prognose_figur", "prognose_mod_faktisk", "prognose",
           "Linjer: prognose og faktisk udvikling i antal sager"),
    VALUE("prognose_lavet", NG_UNIT_TEXT, "prognose",
          "Hvornår den sammenholdte prognose blev lavet (fx 2021 eller 2023-08-22)"),
    VALUE("prognose_metode_lavet", NG_UNIT_TEXT, "prognose",
          "Metoden bag den sammenholdte prognose (vaekst, trend, importeret)"),
    VALUE("sammenligning_aar", NG_UNIT_AAR, "prognose",
          "Seneste år med både prognose og faktiske tal"),
    VALUE("sammenligning_prognose_antal", NG_UNIT_ANTAL, "prognose",
          "Antal sager i sammenligningsåret jf. prognosen"),
    VALUE("sammenligning_faktisk_antal", NG_UNIT_ANTAL, "prognose",
          "Det faktiske antal sager i sammenligningsåret"),
    VALUE("sammenligning_afvigelse_antal", NG_UNIT_ANTAL, "prognose",
          "Faktisk minus prognose, antal sager i sammenligningsåret"),
    VALUE("sammenligning_prognose_udgift", NG_UNIT_MIO, "prognose",
          "Udgifter i sammenligningsåret jf. prognosen"),
    VALUE("sammenligning_faktisk_udgift", NG_UNIT_MIO, "prognose",
          "De faktiske udgifter i sammenligningsåret"),
    VALUE("sammenligning_afvigelse_udgift", NG_UNIT_MIO, "prognose",
          "Faktisk minus prognose, udgifter i sammenligningsåret"),
};

const ng_reg_entry *ng_registry(size_t *count)
{
    *count = sizeof entries / sizeof entries[0];
    return entries;
}

bool ng_registry_match(const char *pattern, const char *name)
{
    for (; *pattern; pattern++, name++) {
        if (*pattern == '*') {
            for (const char *rest = name;; rest++) {
                if (ng_registry_match(pattern + 1, rest))
                    return true;
                if (!*rest)
                    return false;
            }
        }
        if (!*name)
            return false;
        if (*pattern == '#' ? !isdigit((unsigned char)*name) : *pattern != *name)
            return false;
    }
    return *name == '\0';
}

const ng_reg_entry *ng_registry_find(ng_reg_kind kind, const char *name)
{
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
        if (entries[i].kind == kind && ng_registry_match(entries[i].name, name))
            return &entries[i];
    return NULL;
}

const char *ng_registry_unit_name(ng_unit unit)
{
    /* the table label, except that text columns (no label there) are named */
    if (unit == NG_UNIT_TEXT)
        return "tekst";
    const char *label = ng_unit_label(unit);
    return *label ? label : "?";
}

static bool is_money(ng_unit u)
{
    return u == NG_UNIT_KR || u == NG_UNIT_TKR || u == NG_UNIT_MIO;
}

static bool same_unit(ng_unit a, ng_unit b)
{
    return a == b || (is_money(a) && is_money(b));
}

static const ng_reg_column *find_column(const ng_reg_column *cols, const char *key)
{
    for (; cols->key; cols++)
        if (ng_registry_match(cols->key, key))
            return cols;
    return NULL;
}

/* Checks one table; returns the number of errors reported. */
static size_t check_table(const ng_table *t, ng_diags *diags)
{
    const ng_reg_entry *e = ng_registry_find(NG_REG_TABLE, t->name);
    if (!e) {
        ng_error(diags, NULL, 0, 0, "tabellen '%s' er ikke registreret i generator/registry.c",
                 t->name);
        return 1;
    }
    if (!e->cols)
        return 0;
    size_t errors = 0;
    for (int c = 0; c < t->ncols; c++) {
        const ng_reg_column *rc = find_column(e->cols, t->cols[c].key);
        if (!rc) {
            ng_error(diags, NULL, 0, 0,
                     "kolonnen '%s' i tabellen '%s' er ikke registreret i generator/registry.c",
                     t->cols[c].key, t->name);
            errors++;
        } else if (!same_unit(rc->unit, t->cols[c].unit)) {
            ng_warning(diags, NULL, 0, 0,
                       "kolonnen '%s' i tabellen '%s' har enheden %s, registret siger %s",
                       t->cols[c].key, t->name, ng_registry_unit_name(t->cols[c].unit),
                       ng_registry_unit_name(rc->unit));
        }
    }
    return errors;
}

static size_t check_value(const ng_value *v, ng_diags *diags)
{
    const ng_reg_entry *e = ng_registry_find(NG_REG_VALUE, v->name);
    if (!e) {
        ng_error(diags, NULL, 0, 0, "værdien '%s' er ikke registreret i generator/registry.c",
                 v->name);
        return 1;
    }
    ng_unit unit = v->is_text ? NG_UNIT_TEXT : v->unit;
    /* an empty text stands for "not available" (no previous follow-up yet) */
    bool not_available = v->is_text && (!v->text || !v->text[0]);
    if (!not_available && !same_unit(e->unit, unit))
        ng_warning(diags, NULL, 0, 0, "værdien '%s' har enheden %s, registret siger %s", v->name,
                   ng_registry_unit_name(unit), ng_registry_unit_name(e->unit));
    return 0;
}

ng_status ng_registry_check(const ng_dataset *ds, ng_diags *diags)
{
    size_t errors = 0;
    for (size_t i = 0; i < ds->ntables; i++)
        errors += check_table(ds->tables[i], diags);
    for (size_t i = 0; i < ds->nvalues; i++)
        errors += check_value(&ds->values[i], diags);
    for (size_t i = 0; i < ds->nfigures; i++) {
        if (!ng_registry_find(NG_REG_FIGURE, ds->figures[i].name)) {
            ng_error(diags, NULL, 0, 0, "figuren '%s' er ikke registreret i generator/registry.c",
                     ds->figures[i].name);
            errors++;
        }
    }
    return errors ? NG_ERR_INTERNAL : NG_OK;
}
